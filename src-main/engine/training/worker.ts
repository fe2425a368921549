/**
 * Entry of a training worker thread (see ./workerPool.ts). It runs one job at a time and reports
 * back by message; a job's failure is reported as that job's error and the worker stays alive for
 * the next one. TF.js (and a native backend, when there is one) is loaded only in here.
 */
import { parentPort } from 'node:worker_threads';
import { registerTfjsNodeResolution } from '../tfjsNodeResolution';
import type { PoolRequest, WorkerReply } from './workerPool';

if (!parentPort) throw new Error('training worker: must run in a worker thread');
const port = parentPort;
registerTfjsNodeResolution();
const { runTrainingJob } = await import('./job');

const cancelled = new Set<number>();
const send = (reply: WorkerReply) => port.postMessage(reply);

port.on('message', (request: PoolRequest) => {
  if (request.type === 'cancel') {
    cancelled.add(request.jobId);
    return;
  }
  const { jobId, spec } = request;
  runTrainingJob(
    spec,
    {
      onProgress: (progress) => send({ type: 'progress', jobId, progress }),
      onEpoch: (metrics) => send({ type: 'epoch', jobId, metrics }),
      onStatus: (message) => send({ type: 'status', jobId, message }),
    },
    () => cancelled.has(jobId),
  ).then(
    (result) => send({ type: 'done', jobId, result }),
    (err: unknown) => send({ type: 'error', jobId, message: err instanceof Error ? err.message : String(err) }),
  ).finally(() => cancelled.delete(jobId));
});
send({ type: 'ready' });
