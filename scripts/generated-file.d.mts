/** Writes `text` to `out`, or with `--check` in argv exits 1 when `out` differs (the message names it relative to `root`). */
export function writeOrCheck(out: string, text: string, root: string): void;
