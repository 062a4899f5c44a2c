// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable immutable-vars-naming

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IMinterPeriod, IRewardsDistributorVe} from "../../interfaces/external/IRewardsDistributorVe.sol";
import {IVotingEscrow} from "../../interfaces/external/IVotingEscrow.sol";

/// @title MockRebaseDistributor
/// @notice Test-support Velodrome/Aerodrome RewardsDistributor (weekly rebases). Never deployed to a real network.
/// Rebases are credited per NFT by the test (`notifyRebase`) instead of computed from ve supply; `claim` keeps the
/// real behaviour: the rebase is added to the lock, or paid to the owner if the lock expired and is not permanent.
/// It is its own minter: `activePeriod` is the current epoch's start, or the previous one while `setBroken(true)`
/// says the period has not been updated yet; `claim` then reverts with UpdatePeriod, as the real one does.
contract MockRebaseDistributor is IRewardsDistributorVe, IMinterPeriod {
    using SafeERC20 for IERC20;

    error UpdatePeriod();

    event Claimed(uint256 indexed tokenId, uint256 amount);

    address public immutable ve;
    address public immutable token;
    bool public broken;
    mapping(uint256 tokenId => uint256) public override claimable;

    constructor(address ve_) {
        ve = ve_;
        token = IVotingEscrow(ve_).token();
    }

    function setBroken(bool broken_) external {
        broken = broken_;
    }

    /// @notice This mock is its own minter.
    function minter() external view returns (address) {
        return address(this);
    }

    /// @notice The current epoch's start, or the previous epoch's while the period is "not updated" (broken).
    function activePeriod() public view returns (uint256) {
        uint256 epochStart = block.timestamp - (block.timestamp % 7 days);
        return broken ? epochStart - 7 days : epochStart;
    }

    /// @notice Test setup: credits `amount` of rebase to `tokenId`, pulled from the caller.
    function notifyRebase(uint256 tokenId, uint256 amount) external {
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        claimable[tokenId] += amount;
    }

    function claim(uint256 tokenId) external returns (uint256 amount) {
        if (activePeriod() < block.timestamp - (block.timestamp % 7 days)) revert UpdatePeriod();
        amount = claimable[tokenId];
        if (amount == 0) return 0;
        claimable[tokenId] = 0;
        IVotingEscrow.LockedBalance memory lock = IVotingEscrow(ve).locked(tokenId);
        if (!lock.isPermanent && block.timestamp >= lock.end) {
            IERC20(token).safeTransfer(IVotingEscrow(ve).ownerOf(tokenId), amount);
        } else {
            IERC20(token).forceApprove(ve, amount);
            IVotingEscrow(ve).depositFor(tokenId, amount);
        }
        emit Claimed(tokenId, amount);
    }
}
