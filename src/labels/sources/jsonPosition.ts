/** 1-based line of a character offset in a text. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Line and column of a JSON.parse error, from the "position N" (or "line L column C") its message carries. */
export function jsonErrorLine(text: string, err: unknown): { line: number; column: number } {
  const msg = err instanceof Error ? err.message : String(err);
  const lc = /line (\d+) column (\d+)/.exec(msg);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(msg);
  if (pos) {
    const off = Number(pos[1]);
    return { line: lineOfOffset(text, off), column: off - text.lastIndexOf('\n', off - 1) };
  }
  return { line: 0, column: 0 };
}
