/** Process entry (the bin and `npm run kubeguard` import this). */
import { main } from './main.js';

await main(process.argv);
