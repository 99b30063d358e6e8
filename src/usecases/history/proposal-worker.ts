/** The worker thread of a proposal evaluation (network-proposal.ts): one input in, one answer out. */
import { parentPort } from 'node:worker_threads';
import { UsageError } from '../../core/errors.js';
import { evaluateProposal, type ProposalInput, type WorkerAnswer } from './network-proposal.js';

parentPort!.once('message', (input: ProposalInput) => {
  let answer: WorkerAnswer;
  try {
    answer = { view: evaluateProposal(input) };
  } catch (e) {
    answer = { message: e instanceof UsageError ? e.message : 'the evaluation failed', usage: e instanceof UsageError };
  }
  parentPort!.postMessage(answer);
});
