// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";

/// @title MockRewardsReceiver
/// @notice Test-support rewards distributor that only records what it is told (the real one streams rewards).
contract MockRewardsReceiver is IRewardsDistributor {
    event Notified(address[] tokens, uint256[] amounts);

    uint256 public notifyCount;
    uint256 public balanceChanges;
    address[] internal _lastTokens;
    uint256[] internal _lastAmounts;

    function beforeBalanceChange(address, address) external {
        ++balanceChanges;
    }

    function notifyRewards(address[] calldata tokens, uint256[] calldata amounts) external {
        ++notifyCount;
        _lastTokens = tokens;
        _lastAmounts = amounts;
        emit Notified(tokens, amounts);
    }

    function lastNotified() external view returns (address[] memory, uint256[] memory) {
        return (_lastTokens, _lastAmounts);
    }
}
