// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IAaveStakedToken
/// @notice The part of Aave's cooldown staking token a vault adapter uses, in the shape deployed as stkAAVE
/// (StakedAaveV3, "stk v1.5": bgd-labs/aave-stk-v1-5 StakedTokenV3; Ethereum 0x4da27a545c0c5B758a6BA100e3a049001de870f5;
/// no L2 deployment exists). The staked token itself is an ERC-20 of shares.
/// @dev Facts the adapter relies on: `stake(to, assets)` mints `previewStake(assets)` shares (reverts on zero and
/// while `inPostSlashingPeriod`); `cooldown()` snapshots (now, share balance); `redeem(to, shares)` needs
/// `now >= timestamp + COOLDOWN_SECONDS` and `now - (timestamp + COOLDOWN_SECONDS) <= UNSTAKE_WINDOW` (no cooldown at
/// all while `inPostSlashingPeriod`), redeems at most the snapshot's amount (the whole balance after a slashing),
/// pays `previewRedeem(shares)` and lowers the snapshot; a stake during a cooldown leaves the snapshot as it is (the
/// new shares are not covered); the exchange rate falls when the program is slashed. Rewards (AAVE for stkAAVE, the
/// staked token itself) accrue per share and are paid from a rewards vault by `claimRewards(to, amount)`, capped at
/// what accrued, reverting when that is zero.
interface IAaveStakedToken {
    /// @notice Stakes `amount` of STAKED_TOKEN from the caller, minting shares to `to`.
    function stake(address to, uint256 amount) external;

    /// @notice Starts the caller's cooldown over its current share balance.
    function cooldown() external;

    /// @notice Burns up to `amount` of the caller's cooled-down shares and sends their assets to `to`.
    function redeem(address to, uint256 amount) external;

    /// @notice Sends up to `amount` of the caller's accrued rewards to `to`.
    function claimRewards(address to, uint256 amount) external;

    /// @notice The token staked.
    function STAKED_TOKEN() external view returns (address);

    /// @notice The token rewards are paid in.
    function REWARD_TOKEN() external view returns (address);

    /// @notice Seconds between `cooldown()` and the unstake window.
    function COOLDOWN_SECONDS() external view returns (uint256);

    /// @notice Length of the window in which cooled-down shares can be redeemed.
    function UNSTAKE_WINDOW() external view returns (uint256);

    /// @notice `staker`'s cooldown: its start (zero if none) and the shares it covers.
    function stakersCooldowns(address staker) external view returns (uint40 timestamp, uint216 amount);

    /// @notice Shares of `account`.
    function balanceOf(address account) external view returns (uint256);

    /// @notice Assets `shares` redeem for now (rounded down).
    function previewRedeem(uint256 shares) external view returns (uint256);

    /// @notice Shares `assets` stake for now (rounded down).
    function previewStake(uint256 assets) external view returns (uint256);

    /// @notice Rewards `staker` could claim now.
    function getTotalRewardsBalance(address staker) external view returns (uint256);

    /// @notice Whether a slashing is being settled: staking is closed and redeeming needs no cooldown.
    function inPostSlashingPeriod() external view returns (bool);
}
