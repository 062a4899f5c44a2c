// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

import {ERC4626Adapter} from "../adapters/ERC4626Adapter.sol";
import {IAsyncAdapter} from "../interfaces/IAsyncAdapter.sol";

/// @title MockAsyncAdapter
/// @notice Test-support ERC-4626 adapter that also reports a release schedule set by the test, so that views built
/// on `IAsyncAdapter.pendingRelease` can be exercised. Never deployed to a real network.
contract MockAsyncAdapter is ERC4626Adapter, IAsyncAdapter {
    uint256 public releaseAssets;
    uint256 public releaseReadyAt;
    uint256 public lastPrepared;

    constructor(address vault_, IERC4626 target_) ERC4626Adapter(vault_, target_) {}

    function setPendingRelease(uint256 assets, uint256 readyAt) external {
        releaseAssets = assets;
        releaseReadyAt = readyAt;
    }

    function prepareRelease(uint256 assets) external onlyVault {
        lastPrepared = assets;
    }

    function pendingRelease() external view returns (uint256 assets, uint256 readyAt) {
        return (releaseAssets, releaseReadyAt);
    }
}
