// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

/// @title RouterFloor
/// @notice Test support for the gas benchmark: the least a router that holds nothing and leaves no allowance can do
/// for a bounded deposit (pull from the caller, approve the vault for exactly that, deposit, check the bound), with no
/// reentrancy guard, no event and no clean-up of what an untrusted vault leaves. Not a product: it measures the floor
/// set by the two storage slots the hop writes and clears (its balance and its allowance to the vault).
contract RouterFloor {
    error MinSharesNotMet(uint256 shares, uint256 minShares);

    function depositMin(
        IERC4626 vault,
        IERC20 asset,
        uint256 assets,
        address receiver,
        uint256 minShares
    ) external returns (uint256 shares) {
        asset.transferFrom(msg.sender, address(this), assets);
        asset.approve(address(vault), assets);
        shares = vault.deposit(assets, receiver);
        if (shares < minShares) revert MinSharesNotMet(shares, minShares);
    }
}
