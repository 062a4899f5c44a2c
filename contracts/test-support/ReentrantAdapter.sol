// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable immutable-vars-naming
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IAdapter} from "../interfaces/IAdapter.sol";

/// @title ReentrantAdapter
/// @notice Test-support adapter with a freely chosen vault and asset that, when armed, calls back into the vault with
/// set calldata from `allocate`, `deallocate` and `harvest`, and bubbles up the vault's revert.
contract ReentrantAdapter is IAdapter {
    using SafeERC20 for IERC20;

    address public immutable vault;
    address public immutable asset;
    /// @notice The call made back into the vault (none while empty).
    bytes public reenterData;

    constructor(address vault_, address asset_) {
        vault = vault_;
        asset = asset_;
    }

    function setReenter(bytes calldata data) external {
        reenterData = data;
    }

    function totalAssets() external view returns (uint256) {
        return IERC20(asset).balanceOf(address(this));
    }

    function releasable() external view returns (uint256) {
        return IERC20(asset).balanceOf(address(this));
    }

    function allocate(uint256) external {
        _reenter();
    }

    function deallocate(uint256 assets) external returns (uint256) {
        _reenter();
        IERC20(asset).safeTransfer(vault, assets);
        return assets;
    }

    function harvest(address) external returns (address[] memory tokens, uint256[] memory amounts) {
        _reenter();
        return (tokens, amounts);
    }

    function _reenter() internal {
        if (reenterData.length == 0) return;
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory data) = vault.call(reenterData);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(data, 32), mload(data))
            }
        }
    }
}
