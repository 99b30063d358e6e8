/** Runs async tasks with at most `limit` in flight. */
export function boundedRunner(limit: number): (tasks: (() => Promise<void>)[]) => Promise<void> {
  return async (tasks) => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < tasks.length) {
        const task = tasks[next++];
        await task();
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  };
}
