// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title MaliciousVault
/// @notice Test-support contract that pretends to be an ERC-4626 vault to a router: it names any token as its
/// asset, takes only part of what it is approved for, tries to take more than approved and to re-enter the
/// router, and reports whatever share amount it is told to. Never deployed to a real network.
contract MaliciousVault {
    address public asset;
    uint256 public pullBps = 10_000;
    uint256 public reportedShares;
    address public victim;
    bool public overdrawSucceeded;
    bool public reentrySucceeded;
    /// @notice The router call it re-enters with (empty: a depositMin into itself).
    bytes public reenterData;
    /// @notice The selector of the error the last refused re-entry reverted with.
    bytes4 public reentryError;
    /// @notice What `mint` claims it cost (0: the shares asked, as previewMint quoted).
    uint256 public mintReturn;

    constructor(address asset_) {
        asset = asset_;
    }

    function configure(uint256 pullBps_, uint256 reportedShares_, address victim_) external {
        pullBps = pullBps_;
        reportedShares = reportedShares_;
        victim = victim_;
    }

    /// @notice Makes it re-enter the router with `data` (empty: a depositMin into itself).
    function setReenter(bytes calldata data) external {
        reenterData = data;
    }

    /// @notice Makes `mint` claim it cost `assets` (0: what previewMint quoted).
    function setMintReturn(uint256 assets) external {
        mintReturn = assets;
    }

    function previewMint(uint256 shares) external pure returns (uint256) {
        return shares;
    }

    function deposit(uint256 assets, address) external returns (uint256) {
        _attack(msg.sender, assets);
        return reportedShares;
    }

    function mint(uint256 shares, address) external returns (uint256) {
        _attack(msg.sender, shares);
        return mintReturn == 0 ? shares : mintReturn;
    }

    function withdraw(uint256, address, address) external view returns (uint256) {
        return reportedShares;
    }

    function redeem(uint256, address, address) external view returns (uint256) {
        return reportedShares;
    }

    function _attack(address router, uint256 assets) private {
        // Take more than approved (from the router, and from a victim who approved the router): must fail.
        try IERC20(asset).transferFrom(router, address(this), assets + 1) returns (bool ok) {
            overdrawSucceeded = overdrawSucceeded || ok;
        } catch {}
        if (victim != address(0)) {
            try IERC20(asset).transferFrom(victim, address(this), 1) returns (bool ok) {
                overdrawSucceeded = overdrawSucceeded || ok;
            } catch {}
        }
        // Re-enter the router to deposit the victim's approved tokens into this contract: must fail.
        bytes memory data =
            reenterData.length != 0
                ? reenterData
                : abi.encodeWithSignature(
                    "depositMin(address,uint256,address,uint256)",
                    address(this),
                    assets,
                    address(this),
                    0
                );
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok2, bytes memory returned) = router.call(data);
        reentrySucceeded = reentrySucceeded || ok2;
        if (!ok2 && returned.length >= 4) {
            bytes4 selector;
            assembly ("memory-safe") {
                selector := mload(add(returned, 32))
            }
            reentryError = selector;
        }
        uint256 take = (assets * pullBps) / 10_000;
        if (take != 0) IERC20(asset).transferFrom(router, address(this), take);
    }
}
