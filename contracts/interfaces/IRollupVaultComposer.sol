// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MessagingFee} from "@layerzerolabs/oft-evm/contracts/interfaces/IOFT.sol";

/// @title IRollupVaultComposer
/// @notice What `RollupVaultComposer` adds to LayerZero's `IVaultComposerSync` (`@layerzerolabs/ovault-evm`): quotes
/// for front ends, a gas floor for compose execution, and a recovery path that never loses the user's money.
/// @dev FAILURE. When a composed deposit or redeem fails (slippage, vault paused or full, share or asset send
/// failing, a malformed message), what arrived goes back to the sender on the source chain if the executor paid the
/// fee for it, and otherwise stays on this chain, delivered to the sender's address here: never kept by the composer.
/// A compose with less gas than `MIN_COMPOSE_GAS` reverts as a whole: the message stays in the LayerZero endpoint,
/// where anyone, the user included, can execute it again (EndpointV2 `lzCompose` is permissionless). A message whose
/// `minMsgValue` nobody pays can be executed by its sender (as the executor) with less: it then takes the failure path.
interface IRollupVaultComposer {
    /// @notice `lzCompose` was called with `gasLeft` gas, below the floor `minGas` that the failure path needs.
    error InsufficientComposeGas(uint256 gasLeft, uint256 minGas);

    /// @notice The gas settings do not leave room for the failure path (need minComposeGas > recoveryGas >
    /// DELIVERY_RESERVE).
    error InvalidGasConfig(uint256 minComposeGas, uint256 recoveryGas);

    /// @notice The cross-chain refund of a failed compose could not be sent (no fee paid, no credit on the path, a
    /// paused pool): `amount` of `token` went to `receiver` on this chain instead.
    event DeliveredOnVaultChain(bytes32 indexed guid, address indexed token, address indexed receiver, uint256 amount);

    /// @notice A redeem's asset could not be sent to the destination chain: `assets` went to `receiver` on this chain.
    event AssetKeptOnVaultChain(address indexed receiver, uint256 assets);

    /// @notice Dust below the share OFT's shared decimals (`shares`) went to `receiver` on this chain rather than
    /// staying in the composer.
    event ShareDustDelivered(address indexed receiver, uint256 shares);

    /// @notice Gas an `lzCompose` call must start with; below it the call reverts and the message stays retryable.
    function MIN_COMPOSE_GAS() external view returns (uint256);

    /// @notice Gas held back from the deposit or redeem for the failure path (a refund attempt, then the delivery
    /// on this chain), so that a compose running out of gas still ends with the user's money safe.
    function RECOVERY_GAS() external view returns (uint256);

    /// @notice What a compose delivering `assets` would do now: the shares the vault would mint, and the fee (the
    /// compose's `minMsgValue`) to send them to `to` on `dstEid` (zero when `dstEid` is this chain).
    /// @dev Reverts like the reference `quoteSend` when `assets` exceed the vault's `maxDeposit`.
    function quoteDeposit(
        uint256 assets,
        uint32 dstEid,
        bytes32 to,
        bytes calldata extraOptions
    ) external view returns (uint256 shares, MessagingFee memory fee);

    /// @notice What redeeming `shares` and sending the asset to `to` on `dstEid` would do now: the assets and the
    /// Stargate fee (zero when `dstEid` is this chain).
    function quoteRedeem(
        uint256 shares,
        uint32 dstEid,
        bytes32 to,
        bytes calldata extraOptions
    ) external view returns (uint256 assets, MessagingFee memory fee);

    /// @notice Sends `amount` that arrived with a failed compose back to `to` on `srcEid` through `oft`, paying the
    /// fee with `msg.value`. Callable by the composer itself only (its failure path).
    function refundToSource(address oft, uint32 srcEid, bytes32 to, uint256 amount) external payable;
}
