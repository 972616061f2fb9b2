import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';

const silent = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * Bundles the workflow code once, ahead of the workers (`WORKFLOW_BUNDLE`): each worker then starts
 * without webpack, which takes seconds of CPU per worker, and all of them run the very same bundle.
 */
export async function writeWorkflowBundle(outFile: string): Promise<void> {
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: silent });
  writeFileSync(outFile, bundle.code);
}

// `npm run build`: node dist/temporal/workflow-bundle.js dist/workflow-bundle.js
if (require.main === module) {
  const outFile = process.argv[2];
  if (!outFile) {
    process.stderr.write('usage: node dist/temporal/workflow-bundle.js OUT_FILE\n');
    process.exit(2);
  }
  writeWorkflowBundle(outFile).catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
