// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAdapter} from "./IAdapter.sol";

/// @title IAsyncAdapter
/// @notice An adapter whose exits need time (a staking cooldown, a lock that has to expire): `releasable` can be
/// below `totalAssets` for a while, and the vault can ask it to start freeing assets ahead of a withdrawal.
/// @dev The vault forwards `prepareRelease` from its allocator, keeper or owner (`IVaultCore.prepareRelease`).
/// A release in progress keeps counting in `totalAssets`; it enters `releasable` once it can be paid out.
interface IAsyncAdapter is IAdapter {
    /// @notice Starts freeing `assets` (or more, when the protocol can only free everything at once), so that they
    /// become releasable after the protocol's waiting time. Callable by the vault only.
    /// @dev Idempotent in spirit: an adapter with a release already under way may leave it as it is rather than
    /// restart its clock; see each adapter for what exactly happens.
    function prepareRelease(uint256 assets) external;

    /// @notice What is on its way out and when it becomes releasable.
    /// @return assets The assets that a release under way will make releasable; assets already counted in
    /// `releasable` are not pending.
    /// @return readyAt The first timestamp at which they are releasable; type(uint256).max when no date is known.
    /// Both are zero when nothing is under way.
    function pendingRelease() external view returns (uint256 assets, uint256 readyAt);
}
