// Every command of the Kubernetes browser: full id → named handler (see src/shell/commands.ts).
import type { CommandTable } from '../../shell/commands';
import type { KubernetesContext } from './context';
import { filterNamespaces, refresh, selectContext } from './contextCommands';
import { copyName, deleteResource, describe, editYaml, openYaml } from './resourceCommands';
import { importDataplaneSecret } from './secretCommands';

export const kubernetesCommands: CommandTable<KubernetesContext> = {
  'haproxyGateway.kubernetes.refresh': refresh,
  'haproxyGateway.kubernetes.selectContext': selectContext,
  'haproxyGateway.kubernetes.filterNamespaces': filterNamespaces,
  'haproxyGateway.kubernetes.openYaml': openYaml,
  'haproxyGateway.kubernetes.editYaml': editYaml,
  'haproxyGateway.kubernetes.describe': describe,
  'haproxyGateway.kubernetes.copyName': copyName,
  'haproxyGateway.kubernetes.delete': deleteResource,
  'haproxyGateway.kubernetes.importDataplaneSecret': importDataplaneSecret,
};
