// Every command of the traffic capability (see src/shell/commands.ts). Each feature keeps its own
// table literal (the manifest test reads them from source); this one joins them.
import type { CommandTable } from '../../shell/commands';
import type { TrafficContext } from './context';
import { mapCommands } from './mapCommands';

export const trafficCommands: CommandTable<TrafficContext> = { ...mapCommands };
