// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title MockERC4626Target
/// @notice Test-support ERC-4626 target (a lending-market stand-in): yield by asset sent in, losses by assets
/// taken out, a liquidity limit on withdrawals (borrowers using the funds), and a switch that makes it revert.
contract MockERC4626Target is ERC4626 {
    using SafeERC20 for IERC20;

    error TargetBroken();

    /// @notice Most assets the target lets out right now (type(uint256).max: no limit).
    uint256 public liquidity = type(uint256).max;
    bool public broken;

    constructor(IERC20 asset_) ERC20("Mock Target Vault", "mTV") ERC4626(asset_) {}

    /// @notice Simulates a loss: `amount` of the target's assets disappear.
    function simulateLoss(uint256 amount) external {
        IERC20(asset()).safeTransfer(address(0xdead), amount);
    }

    function setLiquidity(uint256 newLiquidity) external {
        liquidity = newLiquidity;
    }

    function setBroken(bool newBroken) external {
        broken = newBroken;
    }

    function totalAssets() public view override returns (uint256) {
        if (broken) revert TargetBroken();
        return super.totalAssets();
    }

    function maxWithdraw(address owner) public view override returns (uint256) {
        uint256 max = super.maxWithdraw(owner);
        return max < liquidity ? max : liquidity;
    }

    function maxRedeem(address owner) public view override returns (uint256) {
        uint256 max = super.maxRedeem(owner);
        uint256 liquidShares = liquidity == type(uint256).max ? max : convertToShares(liquidity);
        return max < liquidShares ? max : liquidShares;
    }

    function _withdraw(
        address caller,
        address receiver,
        address owner,
        uint256 assets,
        uint256 shares
    ) internal override {
        if (liquidity != type(uint256).max) liquidity -= assets;
        super._withdraw(caller, receiver, owner, assets, shares);
    }
}
