// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IAdapter
/// @notice What a vault needs from the contract that routes its assets into one external protocol.
/// @dev An adapter is bound to one vault and one asset for life and accepts state-changing calls from that vault
/// alone. It never holds a depositor's claim: the vault's shares do. Values are in units of the vault's asset.
interface IAdapter {
    /// @notice `caller` is not the vault this adapter serves.
    error NotVault(address caller);
    /// @notice The zero address was given where a real one is needed.
    error ZeroAddress();
    /// @notice The adapter was built for another asset than the one it was given.
    error AssetMismatch(address expected, address actual);
    /// @notice An allocation of `assets` left a position worth only `worth`, below the stated tolerance.
    error AllocationShortfall(uint256 assets, uint256 worth);

    /// @notice The vault this adapter serves.
    function vault() external view returns (address);

    /// @notice The vault's asset, the unit of every amount here.
    function asset() external view returns (address);

    /// @notice Everything the adapter holds, valued in the asset now: unrealised gains and losses included,
    /// liquid or not. The vault realises the difference to its books at the next report.
    /// @dev Reward tokens that are not the asset are not counted: they leave through `harvest`.
    function totalAssets() external view returns (uint256);

    /// @notice The assets `deallocate` could hand back to the vault in this block.
    /// @dev Must not overstate: the vault's `maxWithdraw` and `maxRedeem` are built on it.
    function releasable() external view returns (uint256);

    /// @notice Deploys `assets` that the vault transferred to the adapter just before this call.
    function allocate(uint256 assets) external;

    /// @notice Frees up to `assets` and transfers them to the vault.
    /// @return freed The assets sent to the vault (the vault measures its balance change, not this value).
    function deallocate(uint256 assets) external returns (uint256 freed);

    /// @notice Claims the protocol's rewards and sends every reward token other than the asset to `receiver`.
    /// @dev Rewards paid in the asset itself stay in the adapter, so they reach the share price through a report
    /// and the vault's profit unlocking.
    /// @return tokens The reward tokens sent.
    /// @return amounts The amount of each token sent, measured by balance change.
    function harvest(address receiver) external returns (address[] memory tokens, uint256[] memory amounts);
}

/// @title IAdapterTraits
/// @notice Immutable declarations an adapter may make (BaseAdapter implements both). The vault reads them once, at
/// `addAdapter`, with a plain static call: an adapter without them declares nothing (it may lose, shares nothing).
interface IAdapterTraits {
    /// @notice True if the protocol cannot lose the asset (an LP minted and redeemed 1:1, a staking balance, a vote-
    /// escrow lock): the vault then never reads `totalAssets` to price shares, which keeps deposits cheap. Must be a
    /// constant of the adapter's code, never a setting.
    function cannotLose() external view returns (bool);

    /// @notice The external contract whose liquidity `releasable` draws on (an ERC-4626 target, a pool), or zero.
    /// A vault counts the liquidity of adapters over one source once (the largest of theirs), never twice.
    function liquiditySource() external view returns (address);
}
