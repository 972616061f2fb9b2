/**
 * The payload key scripts/record-histories.ts seals the histories under test/histories with, so the
 * replay test can decode them. A fixture, not a secret: those histories hold generated sandbox data.
 */
export const RECORDING_PAYLOAD_KEY = '5ec0de7e57f1c7ee0000000000000000000000000000000000000000000000aa';
