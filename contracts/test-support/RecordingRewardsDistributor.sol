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
    uint256 public lastFromBalance;
    uint256 public lastToBalance;
    uint256 public lastTotalSupply;
    uint256 public detaches;
    address public detachedTo;
    mapping(address token => uint256) public notified;
    address[] internal _lastTokens;
    uint256[] internal _lastAmounts;

    function beforeBalanceChange(
        address from,
        uint256 fromBalance,
        address to,
        uint256 toBalance,
        uint256 totalSupply
    ) external {
        ++balanceChanges;
        lastFrom = from;
        lastTo = to;
        lastFromBalance = fromBalance;
        lastToBalance = toBalance;
        lastTotalSupply = totalSupply;
    }

    function notifyRewards(address[] calldata tokens, uint256[] calldata amounts) external {
        ++notifications;
        for (uint256 i; i < tokens.length; ++i) notified[tokens[i]] += amounts[i];
        _lastTokens = tokens;
        _lastAmounts = amounts;
        emit Notified(tokens, amounts);
    }

    /// @notice Records the detach; this stand-in keeps no books, so it lets go at once.
    function detach(address successor) external {
        detachedTo = successor;
        ++detaches;
    }

    function lastNotified() external view returns (address[] memory, uint256[] memory) {
        return (_lastTokens, _lastAmounts);
    }
}
