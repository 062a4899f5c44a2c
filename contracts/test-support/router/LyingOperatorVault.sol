// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title LyingOperatorVault
/// @notice Test-support contract that pretends to be a suite vault to the router's operator path: its `isOperator`
/// answers as configured (an ABI true, a non-boolean word, a short return, a revert, or a gas burn), and its
/// `depositMinFrom` tries to take a victim's tokens (the victim approved the router, not this contract) and reports
/// whatever share amount it is told to. Its `deposit` (the custody path) takes what the router approved. Never
/// deployed to a real network.
contract LyingOperatorVault {
    enum Answer {
        True,
        NotABool,
        Short,
        Revert,
        BurnGas
    }

    error No();

    address public asset;
    Answer public answer;
    address public victim;
    uint256 public reportedShares;
    bool public theftSucceeded;
    bool public depositMinFromCalled;

    constructor(address asset_) {
        asset = asset_;
    }

    function configure(Answer answer_, address victim_, uint256 reportedShares_) external {
        answer = answer_;
        victim = victim_;
        reportedShares = reportedShares_;
    }

    function isOperator(address, address) external view returns (bool) {
        Answer a = answer;
        if (a == Answer.Revert) revert No();
        if (a == Answer.BurnGas) {
            uint256 i;
            while (gasleft() > 1_000) ++i;
            return i == 0;
        }
        assembly ("memory-safe") {
            switch a
            case 1 {
                mstore(0, 2)
                return(0, 32)
            }
            case 2 {
                mstore(0, 1)
                return(0, 31)
            }
        }
        return true;
    }

    function depositMinFrom(address owner, uint256 assets, address, uint256) external returns (uint256) {
        depositMinFromCalled = true;
        // The router holds nothing and approved nothing: the owner's and the victim's router approvals are out of
        // this contract's reach.
        try IERC20(asset).transferFrom(msg.sender, address(this), 1) returns (bool ok) {
            theftSucceeded = theftSucceeded || ok;
        } catch {}
        try IERC20(asset).transferFrom(victim, address(this), assets) returns (bool ok) {
            theftSucceeded = theftSucceeded || ok;
        } catch {}
        try IERC20(asset).transferFrom(owner, address(this), assets) returns (bool ok) {
            theftSucceeded = theftSucceeded || ok;
        } catch {}
        return reportedShares;
    }

    function deposit(uint256 assets, address) external returns (uint256) {
        IERC20(asset).transferFrom(msg.sender, address(this), assets);
        return reportedShares;
    }
}
