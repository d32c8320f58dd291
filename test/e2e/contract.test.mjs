// @ts-check
/** The contract table (contract.mjs) against both ways the server runs: Node in one process, and the Worker. */
import { startNode, startWorker } from './backends.mjs';
import { contractSuite } from './contract.mjs';

contractSuite('Node', startNode);
contractSuite('Worker', startWorker);
