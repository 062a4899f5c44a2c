// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IRewardsDistributor
/// @notice The hooks a vault calls on the contract that streams reward tokens to its share holders.
interface IRewardsDistributor {
    /// @notice Settles `from` and `to` at their current share balances, just before the vault changes them.
    /// @dev Called by the vault on every mint, burn and transfer; `from` or `to` is zero for a mint or burn.
    function beforeBalanceChange(address from, address to) external;

    /// @notice Starts streaming reward tokens that an adapter has just sent to the distributor.
    /// @param tokens The tokens sent.
    /// @param amounts The amount of each, as the adapter measured it; the distributor trusts only its own balance.
    function notifyRewards(address[] calldata tokens, uint256[] calldata amounts) external;
}
