// Every command of the Data Plane API capability: full id → named handler (see src/shell/commands.ts).
import type { CommandTable } from '../../shell/commands';
import { showReloads, openRawConfig, validateRawConfig } from './configCommands';
import * as connection from './connectionCommands';
import { restoreConfigVersion, showConfigHistory } from './history';
import type { DataPlaneContext } from './context';
import * as server from './serverCommands';

export const dataPlaneCommands: CommandTable<DataPlaneContext> = {
  'haproxyGateway.dataplane.addConnection': connection.addConnection,
  'haproxyGateway.dataplane.editConnection': connection.editConnection,
  'haproxyGateway.dataplane.removeConnection': connection.removeConnection,
  'haproxyGateway.dataplane.setPassword': connection.setPassword,
  'haproxyGateway.dataplane.testConnection': connection.testConnection,
  'haproxyGateway.dataplane.importSecret': connection.importSecret,
  'haproxyGateway.dataplane.refresh': connection.refresh,
  'haproxyGateway.dataplane.serverReady': server.serverReady,
  'haproxyGateway.dataplane.serverDrain': server.serverDrain,
  'haproxyGateway.dataplane.serverMaint': server.serverMaint,
  'haproxyGateway.dataplane.serverSetWeight': server.serverSetWeight,
  'haproxyGateway.dataplane.discardTransaction': server.discardTransaction,
  'haproxyGateway.dataplane.addServer': server.addServer,
  'haproxyGateway.dataplane.openRawConfig': openRawConfig,
  'haproxyGateway.dataplane.validateRawConfig': validateRawConfig,
  'haproxyGateway.dataplane.showReloads': showReloads,
  'haproxyGateway.dataplane.showConfigHistory': showConfigHistory,
  'haproxyGateway.dataplane.restoreConfigVersion': restoreConfigVersion,
};
