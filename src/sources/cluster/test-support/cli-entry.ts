/** The kubeguard CLI as a script the cluster tests can spawn under tsx. */
import { main } from '../../../cli/main.js';

await main(process.argv);
