// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRewardsDistributor} from "../../interfaces/IRewardsDistributor.sol";

/// @title RecordingRewardsDistributor
/// @notice Test-support rewards distributor that only records what the vault tells it. Never deployed for real.
contract RecordingRewardsDistributor is IRewardsDistributor {
    event Notified(address[] tokens, uint256[] amounts);

    uint256 public balanceChanges;
    uint256 public notifications;
    mapping(address token => uint256) public notified;

    function beforeBalanceChange(address, address) external {
        ++balanceChanges;
    }

    function notifyRewards(address[] calldata tokens, uint256[] calldata amounts) external {
        ++notifications;
        for (uint256 i; i < tokens.length; ++i) notified[tokens[i]] += amounts[i];
        emit Notified(tokens, amounts);
    }
}
