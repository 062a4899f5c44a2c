// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IInKindAdapter
/// @notice An adapter whose position a holder may take over in kind: the vault's `redeemInKind` burns the holder's
/// shares and the adapter hands out the position's own token (for the Stargate V2 adapter: the pool's LP, minted 1:1
/// with the asset), which the holder redeems or bridges out later, when the vault itself cannot pay.
/// @dev Only for a position whose token is worth its amount in the asset and is freely transferable. A vote-escrow
/// lock (one veNFT, locked up to four years, split permissioned by the protocol team, carrying votes) and a cooldown
/// stake (non-transferable, every holder would need their own cooldown) do not qualify: their adapters do not
/// implement this interface, and the vault refuses them with `InKindUnsupported`.
interface IInKindAdapter {
    /// @notice `assets` were asked in kind, but the adapter holds only `available` of its in-kind token.
    error InKindAboveHoldings(uint256 assets, uint256 available);

    /// @notice `amount` of the in-kind token went to `receiver` for an in-kind exit from the vault.
    event InKindReleased(address indexed receiver, uint256 amount);

    /// @notice The token an in-kind exit hands out (Stargate: the pool's LP token).
    function inKindToken() external view returns (address);

    /// @notice How much of the in-kind token the adapter can hand out now, valued 1:1 in the asset (Stargate: the LP
    /// staked in the farm plus the LP held outright; loose asset is not handed out in kind).
    function inKindAvailable() external view returns (uint256);

    /// @notice How much of the in-kind token a holder could take to the chain of LayerZero endpoint id `dstEid` now
    /// (Stargate: the pool's credit toward that path, which `redeemSend` spends; `dstEid` = the local eid gives the
    /// local credit, which `redeem` spends). Zero when the token cannot be bridged there now (no credit, pool paused).
    function inKindBridgeable(uint32 dstEid) external view returns (uint256);

    /// @notice Hands `assets` of the in-kind token (1:1 with the asset) to `receiver`. Callable by the vault only.
    /// @dev Sends exactly `assets` or reverts (`InKindAboveHoldings` when it holds less).
    /// @return sent The amount of the in-kind token sent (= `assets`).
    function releaseInKind(uint256 assets, address receiver) external returns (uint256 sent);
}
