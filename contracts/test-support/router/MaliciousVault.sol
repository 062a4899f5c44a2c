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

    constructor(address asset_) {
        asset = asset_;
    }

    function configure(uint256 pullBps_, uint256 reportedShares_, address victim_) external {
        pullBps = pullBps_;
        reportedShares = reportedShares_;
        victim = victim_;
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
        return shares;
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
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok2, ) = router.call(
            abi.encodeWithSignature(
                "depositMin(address,uint256,address,uint256)",
                address(this),
                assets,
                address(this),
                0
            )
        );
        reentrySucceeded = reentrySucceeded || ok2;
        uint256 take = (assets * pullBps) / 10_000;
        if (take != 0) IERC20(asset).transferFrom(router, address(this), take);
    }
}
