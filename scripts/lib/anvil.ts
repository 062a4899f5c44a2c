/** Starting, waiting for and addressing the local OP-Stack node (anvil from @foundry-rs/anvil). */
import { spawn, type ChildProcess } from "node:child_process";
import { openSync } from "node:fs";
import path from "node:path";

export const L2_CHAIN_ID = 901;
export const L2_HOST = process.env.L2_HOST ?? "127.0.0.1";
export const L2_PORT = Number(process.env.L2_PORT ?? 8545);
export const L2_URL = process.env.LOCAL_L2_RPC_URL || `http://${L2_HOST}:${L2_PORT}`;

/**
 * The platform binary itself, not the npm wrapper: `npx anvil` goes through several processes and stopping the
 * npx one leaves anvil running, while this gives a PID that stops the node.
 */
export function anvilBinary(): string {
  const pkg = require.resolve("@foundry-rs/anvil-linux-amd64/package.json");
  return path.join(path.dirname(pkg), "bin", "anvil");
}

export function anvilArgs(): string[] {
  return [
    "--network",
    "optimism",
    "--chain-id",
    String(L2_CHAIN_ID),
    "--host",
    L2_HOST,
    "--port",
    String(L2_PORT),
    // LayerZero's EndpointV2Mock (under the real Stargate V2 test-support set) is over EIP-170's 24,576 bytes.
    "--disable-code-size-limit",
  ];
}

/** Starts anvil; its output goes to `logFile` (or is inherited). `detached` lets it outlive this process. */
export function startAnvil(options: { logFile?: string; detached?: boolean } = {}): ChildProcess {
  const out = options.logFile ? openSync(options.logFile, "a") : "inherit";
  const child = spawn(anvilBinary(), anvilArgs(), { stdio: ["ignore", out, out], detached: options.detached });
  if (options.detached) child.unref();
  return child;
}

/** Chain id answered at `url`, or undefined if nothing answers. */
export async function rpcChainId(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    const body = (await response.json()) as { result?: string };
    return body.result === undefined ? undefined : Number(body.result);
  } catch {
    return undefined;
  }
}

/** Waits until `url` answers eth_chainId with `chainId`; throws after `timeoutMs`. */
export async function waitForRpc(url: string, chainId: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const id = await rpcChainId(url);
    if (id === chainId) return;
    if (id !== undefined) throw new Error(`${url} answers chain id ${id}, expected ${chainId}: another node?`);
    if (Date.now() > deadline) throw new Error(`No node answered at ${url} within ${timeoutMs / 1000}s.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
