// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable immutable-vars-naming

/// @title MockLegacyStakedToken
/// @notice Test-support stand-in for a pre-v1.5 Aave staking token (StakedTokenV2: one-word `stakersCooldowns`, no
/// exchange rate, no slashing period): only its getters, so that a test can show the adapter refuses it. Never
/// deployed to a real network.
contract MockLegacyStakedToken {
    address public immutable STAKED_TOKEN;
    address public immutable REWARD_TOKEN;
    uint256 public constant COOLDOWN_SECONDS = 10 days;
    uint256 public constant UNSTAKE_WINDOW = 2 days;
    mapping(address staker => uint256) public stakersCooldowns;

    constructor(address stakedToken, address rewardToken) {
        STAKED_TOKEN = stakedToken;
        REWARD_TOKEN = rewardToken;
    }
}
