// Operator tasks (vault:*, queue:fulfill, rewards:claim), registered on import by hardhat.config.ts. See docs/operations in each task's help:
// `npx hardhat help vault:status`.
import "./status";
import "./operations";
import "./parts";
import "./crosschain";
import "./test-dirs";
import "./dev";
import "./keeper";
