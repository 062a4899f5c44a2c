// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";

/// @title RecordingRewardsDistributor
/// @notice Test-support stand-in for a rewards distributor: records the vault's hooks and what each harvest
/// notified, so adapter and vault tests can check them without the real RewardsDistributor.
contract RecordingRewardsDistributor is IRewardsDistributor {
    event Notified(address[] tokens, uint256[] amounts);

    uint256 public balanceChanges;
    uint256 public notifications;
    address public lastFrom;
    address public lastTo;
    mapping(address token => uint256) public notified;
    address[] internal _lastTokens;
    uint256[] internal _lastAmounts;

    function beforeBalanceChange(address from, address to) external {
        ++balanceChanges;
        lastFrom = from;
        lastTo = to;
    }

    function notifyRewards(address[] calldata tokens, uint256[] calldata amounts) external {
        ++notifications;
        for (uint256 i; i < tokens.length; ++i) notified[tokens[i]] += amounts[i];
        _lastTokens = tokens;
        _lastAmounts = amounts;
        emit Notified(tokens, amounts);
    }

    function lastNotified() external view returns (address[] memory, uint256[] memory) {
        return (_lastTokens, _lastAmounts);
    }
}
