// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IVaultBounds
/// @notice ERC-5143-style slippage bounds on the vault itself: the four ERC-4626 entry points with a bound on what
/// the caller gets or gives, so a depositor needs no router (and no token hop through one) to bound a deposit or an
/// exit. Implemented by VaultAdmin (call them on the vault's address): each runs the vault's own ERC-4626 function
/// in the same call, as the caller, and reverts the whole call if the bound is missed.
/// @dev Named, not overloaded: ERC-5143's `deposit(uint256,address,uint256)` overloads would make `deposit`,
/// `mint`, `withdraw` and `redeem` ambiguous for ethers and typechain users of the vault (every call would need the
/// full signature). Reverts and events are those of the ERC-4626 function, plus the bound's error.
interface IVaultBounds {
    /// @notice `deposit(assets, receiver)`, reverting with `MinSharesNotMet` if it mints fewer than `minShares`.
    /// @param assets The assets to deposit, pulled from the caller.
    /// @param receiver Receives the shares.
    /// @param minShares The fewest shares the caller accepts.
    /// @return shares The shares minted.
    function depositMin(uint256 assets, address receiver, uint256 minShares) external returns (uint256 shares);

    /// @notice `mint(shares, receiver)`, reverting with `MaxAssetsExceeded` if it costs more than `maxAssets`.
    /// @param shares The shares to mint.
    /// @param receiver Receives the shares.
    /// @param maxAssets The most assets the caller pays.
    /// @return assets The assets pulled from the caller.
    function mintMax(uint256 shares, address receiver, uint256 maxAssets) external returns (uint256 assets);

    /// @notice `withdraw(assets, receiver, owner)`, reverting with `MaxSharesExceeded` if it burns more than
    /// `maxShares`.
    /// @param assets The assets to pay.
    /// @param receiver Receives the assets.
    /// @param owner The holder whose shares are burned (the caller, or one who allowed it).
    /// @param maxShares The most shares the caller lets burn.
    /// @return shares The shares burned.
    function withdrawMax(
        uint256 assets,
        address receiver,
        address owner,
        uint256 maxShares
    ) external returns (uint256 shares);

    /// @notice `redeem(shares, receiver, owner)`, reverting with `MinAssetsNotMet` if it pays less than `minAssets`.
    /// @param shares The shares to burn.
    /// @param receiver Receives the assets.
    /// @param owner The holder whose shares are burned (the caller, or one who allowed it).
    /// @param minAssets The fewest assets the caller accepts.
    /// @return assets The assets paid.
    function redeemMin(
        uint256 shares,
        address receiver,
        address owner,
        uint256 minAssets
    ) external returns (uint256 assets);

    // ================================================================== operators (ERC-7540's model, for deposits)

    /// @notice `depositMin` paid by `owner`: pulls `assets` from `owner` (who approved the vault for the asset, as for
    /// a direct deposit), mints the shares to `receiver`, and reverts with `MinSharesNotMet` below `minShares`. The
    /// caller must be `owner` or an operator `owner` approved with `setOperator` (else `NotOperator`). This is how
    /// the suite's VaultRouter deposits without taking custody of the assets.
    /// @dev Reverts and events are `deposit`'s; the `Deposit` event names `owner` as the sender.
    /// @param owner The holder of the assets, who pays.
    /// @param assets The assets to deposit, pulled from `owner`.
    /// @param receiver Receives the shares.
    /// @param minShares The fewest shares accepted.
    /// @return shares The shares minted.
    function depositMinFrom(
        address owner,
        uint256 assets,
        address receiver,
        uint256 minShares
    ) external returns (uint256 shares);

    /// @notice `mintMax` paid by `owner`: mints `shares` to `receiver` for assets pulled from `owner` (who approved
    /// the vault), reverting with `MaxAssetsExceeded` above `maxAssets`. The caller must be `owner` or an operator of
    /// `owner` (else `NotOperator`).
    /// @dev Reverts and events are `mint`'s; the `Deposit` event names `owner` as the sender.
    /// @param owner The holder of the assets, who pays.
    /// @param shares The shares to mint.
    /// @param receiver Receives the shares.
    /// @param maxAssets The most assets `owner` pays.
    /// @return assets The assets pulled from `owner`.
    function mintMaxFrom(
        address owner,
        uint256 shares,
        address receiver,
        uint256 maxAssets
    ) external returns (uint256 assets);

    /// @notice Approves or revokes `operator` to deposit the caller's assets through `depositMinFrom` and
    /// `mintMaxFrom` (ERC-7540's
    /// `setOperator`). Emits `OperatorSet`. An operator can turn everything the caller approved to the vault into
    /// shares for ANY receiver it names: approve only the suite's VaultRouter (which only ever names its own caller as
    /// the owner) or contracts of your own. Reverts with `InvalidOperator` for the zero address or the caller itself.
    /// @param operator The account approved or revoked.
    /// @param approved True to approve, false to revoke.
    /// @return True.
    function setOperator(address operator, bool approved) external returns (bool);

    /// @notice Whether `operator` may deposit `owner`'s assets through `depositMinFrom` and `mintMaxFrom` (ERC-7540's
    /// `isOperator`).
    /// @param owner The holder of the assets.
    /// @param operator The account asked about.
    /// @return status True if approved.
    function isOperator(address owner, address operator) external view returns (bool status);
}
