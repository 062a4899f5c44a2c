// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IRedemptionQueue} from "./IRedemptionQueue.sol";

/// @title IVaultRouter
/// @notice ERC-5143-style slippage bounds, self-permit, native ETH and asynchronous redeem requests for every
/// ERC-4626 vault of the suite, batched with `multicall`.
/// @dev STATELESS. The router holds nothing between calls: every action pulls what it needs from `msg.sender` (and
/// only from `msg.sender`), hands it to the vault within the same call and leaves no allowance of its own to the
/// vault behind. Exits burn `msg.sender`'s shares through the allowance `msg.sender` gave the router on the vault's
/// share token (ERC-20 `approve`, or the vault's EIP-2612 permit through `selfPermit`).
/// A vault address is whatever the caller passes: a contract that only pretends to be a vault can take at most what
/// the caller approved to the router for that call, never anybody else's tokens.
/// Every action is `payable` so that it can sit in a `multicall` that carries ether; only `depositETH` spends
/// `msg.value`, at most once per transaction context, and a call whose ether is not spent reverts.
interface IVaultRouter {
    // ================================================================== errors

    /// @notice `deposit` would mint `shares`, fewer than the caller's `minShares`.
    error MinSharesNotMet(uint256 shares, uint256 minShares);
    /// @notice `mint` would cost `assets`, more than the caller's `maxAssets`.
    error MaxAssetsExceeded(uint256 assets, uint256 maxAssets);
    /// @notice `withdraw` would burn `shares`, more than the caller's `maxShares`.
    error MaxSharesExceeded(uint256 shares, uint256 maxShares);
    /// @notice `redeem` would pay `assets`, fewer than the caller's `minAssets`.
    error MinAssetsNotMet(uint256 assets, uint256 minAssets);
    /// @notice A zero amount was passed.
    error ZeroAmount();
    /// @notice The receiver or controller is the zero address or the router itself (which must hold nothing).
    error InvalidReceiver(address receiver);
    /// @notice `depositETH` was called for a vault whose asset is not the router's WETH.
    error NotWethVault(address vault, address asset);
    /// @notice The ether of this transaction context was already spent by an earlier call of the same `multicall`.
    error MsgValueAlreadySpent();
    /// @notice Ether was sent with a call (or a `multicall`) that did not spend it.
    error UnspentValue(uint256 value);
    /// @notice `multicall` was called from inside a `multicall`.
    error NestedMulticall();
    /// @notice The permit failed and the allowance it would have granted is not there either.
    error PermitFailed(address token, uint256 allowance, uint256 needed);

    // ================================================================== events

    /// @notice `caller` deposited `assets` into `vault` through the router and `receiver` got `shares`.
    event RoutedDeposit(
        address indexed caller,
        address indexed vault,
        address indexed receiver,
        uint256 assets,
        uint256 shares
    );

    /// @notice `caller` burned `shares` of `vault` through the router and `receiver` got `assets`.
    event RoutedWithdraw(
        address indexed caller,
        address indexed vault,
        address indexed receiver,
        uint256 assets,
        uint256 shares
    );

    /// @notice `caller` moved `shares` into `controller`'s redemption request on `queue` (`requestId` is what the
    /// queue returned: 0 for the RedemptionQueue, which aggregates requests per controller).
    event RoutedRedeemRequest(
        address indexed caller,
        address indexed queue,
        address indexed controller,
        uint256 requestId,
        uint256 shares
    );

    // ================================================================== views

    /// @notice The wrapped-ether token `depositETH` wraps into.
    function WETH() external view returns (address);

    // ================================================================== batching and permits

    /// @notice Runs each call of `data` on the router in order (delegatecall to itself) and returns their results;
    /// the first failure reverts the whole batch with its reason.
    /// @dev `msg.value` is shared by every call of the batch; only one `depositETH` may spend it, and the batch
    /// reverts with `UnspentValue` if none does.
    function multicall(bytes[] calldata data) external payable returns (bytes[] memory results);

    /// @notice EIP-2612 permit from `msg.sender` to the router for `value` of `token` (an asset or a vault share).
    /// @dev A permit that fails (for example because someone front-ran it with the same signature) does not make the
    /// call fail if the allowance it would have set is there: the call then goes on.
    function selfPermit(address token, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external payable;

    /// @notice DAI-style permit (`permit(holder, spender, nonce, expiry, allowed, v, r, s)`) from `msg.sender` to
    /// the router, for tokens that have it; grants an unlimited allowance.
    /// @dev As for `selfPermit`, a failed permit is ignored if the unlimited allowance is already there.
    function selfPermitAllowed(
        address token,
        uint256 nonce,
        uint256 expiry,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external payable;

    // ================================================================== bounded ERC-4626 actions

    /// @notice Pulls `assets` of the vault's asset from `msg.sender`, deposits them for `receiver`, and reverts
    /// with `MinSharesNotMet` unless at least `minShares` were minted. Without custody when the vault reports that
    /// `msg.sender` made the router its operator (a suite vault: `setOperator(router, true)`, and the asset
    /// approved to the vault): the router then calls `vault.depositMinFrom(msg.sender, ...)` and the vault pulls
    /// from `msg.sender` directly. Otherwise (any other ERC-4626 vault) the router pulls the assets (approved to the
    /// router), approves the vault for them and deposits.
    function depositMin(
        IERC4626 vault,
        uint256 assets,
        address receiver,
        uint256 minShares
    ) external payable returns (uint256 shares);

    /// @notice Pulls what minting `shares` costs from `msg.sender`, mints them for `receiver`, and reverts with
    /// `MaxAssetsExceeded` if that is more than `maxAssets`. Without custody (`vault.mintMaxFrom(msg.sender, ...)`)
    /// when the vault reports that `msg.sender` made the router its operator, as in `depositMin`.
    function mintMax(
        IERC4626 vault,
        uint256 shares,
        address receiver,
        uint256 maxAssets
    ) external payable returns (uint256 assets);

    /// @notice Withdraws `assets` to `receiver` from `msg.sender`'s shares, and reverts with `MaxSharesExceeded`
    /// if that burns more than `maxShares`. `msg.sender` must have approved the router for the shares.
    function withdrawMax(
        IERC4626 vault,
        uint256 assets,
        address receiver,
        uint256 maxShares
    ) external payable returns (uint256 shares);

    /// @notice Redeems `shares` of `msg.sender` to `receiver`, and reverts with `MinAssetsNotMet` if that pays
    /// less than `minAssets`. `msg.sender` must have approved the router for the shares.
    function redeemMin(
        IERC4626 vault,
        uint256 shares,
        address receiver,
        uint256 minAssets
    ) external payable returns (uint256 assets);

    /// @notice The vault's `redeemWithMaxLoss` for `msg.sender`'s `shares` (the vault bounds the loss by
    /// `maxLossBps`), with a floor `minAssets` on what `receiver` gets.
    function redeemWithMaxLoss(
        IERC4626 vault,
        uint256 shares,
        address receiver,
        uint256 maxLossBps,
        uint256 minAssets
    ) external payable returns (uint256 assets);

    /// @notice Wraps `msg.value` into WETH and deposits it into `vault` (whose asset must be WETH) for `receiver`,
    /// reverting with `MinSharesNotMet` unless at least `minShares` were minted.
    function depositETH(IERC4626 vault, address receiver, uint256 minShares) external payable returns (uint256 shares);

    /// @notice Moves `shares` of the queue's vault from `msg.sender` into an asynchronous redemption request of
    /// `queue`, controlled by `controller` (who claims the assets once it is settled, or cancels it). Returns the
    /// queue's ERC-7540 requestId (0 for the RedemptionQueue, which adds the shares to `controller`'s request).
    /// `msg.sender` must have approved the router for the shares.
    function requestRedeem(
        IRedemptionQueue queue,
        uint256 shares,
        address controller
    ) external payable returns (uint256 requestId);
}
