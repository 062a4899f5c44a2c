// Operator tasks (vault:*), registered on import by hardhat.config.ts. See docs/operations in each task's help:
// `npx hardhat help vault:status`.
import "./status";
import "./operations";
