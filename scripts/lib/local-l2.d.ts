/** Types of scripts/lib/local-l2.js (plain CommonJS, shared with bash). */
export declare const L2_CHAIN_ID: number;
export declare const DEFAULT_L2_HOST: string;
export declare const DEFAULT_L2_PORT: number;
/** Where the local node lives: L2_PORT / L2_HOST, or LOCAL_L2_RPC_URL (both given and disagreeing throws). */
export declare function localL2Endpoint(env?: NodeJS.ProcessEnv): { host: string; port: number; url: string };
/** The platform's anvil binary (from @foundry-rs/anvil-<os>-<arch>). */
export declare function anvilBinary(): string;
