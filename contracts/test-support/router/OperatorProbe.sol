// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IVaultBounds} from "../../interfaces/IVaultBounds.sol";

/// @title OperatorProbe
/// @notice Test-support operator: in one transaction, deposits an owner's assets through `depositMinFrom`, then
/// deposits its own with a plain `deposit`, so a test can check that the transient payer did not outlive the first
/// call (the second deposit must pull from the probe, not from the owner). Never deployed to a real network.
contract OperatorProbe {
    function depositFromThenOwn(IERC4626 vault, address owner, uint256 assets, address receiver) external {
        IVaultBounds(address(vault)).depositMinFrom(owner, assets, receiver, 0);
        IERC20(vault.asset()).approve(address(vault), assets);
        vault.deposit(assets, receiver);
    }
}
