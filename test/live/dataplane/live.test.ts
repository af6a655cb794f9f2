// Against the spec-faithful emulator in front of a real HAProxy (needs only /usr/sbin/haproxy).
import { liveSuite } from './liveSuite';

liveSuite('emulator', 3);
liveSuite('emulator', 2);
