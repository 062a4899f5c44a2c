/** Starting, waiting for and addressing the local OP-Stack node (anvil from @foundry-rs/anvil). */
import { spawn, type ChildProcess } from "node:child_process";
import { openSync } from "node:fs";
import { anvilBinary, L2_CHAIN_ID, localL2Endpoint } from "./local-l2";

export { anvilBinary, L2_CHAIN_ID };

// One setting moves everything: L2_PORT (L2_HOST), or LOCAL_L2_RPC_URL instead (scripts/lib/local-l2.js).
const endpoint = localL2Endpoint();
export const L2_HOST = endpoint.host;
export const L2_PORT = endpoint.port;
export const L2_URL = endpoint.url;

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
