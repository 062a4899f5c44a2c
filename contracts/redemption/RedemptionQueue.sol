// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IAsyncAdapter} from "../interfaces/IAsyncAdapter.sol";
import {IERC7540Operator, IERC7540Redeem, IRedemptionQueue} from "../interfaces/IRedemptionQueue.sol";
import {IStreamingRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";
import {IRollupVault} from "../interfaces/IRollupVault.sol";
import {ConstantsLib} from "../libraries/ConstantsLib.sol";

/// @title RedemptionQueue
/// @notice ERC-7540 asynchronous redemptions for one RollupVault, whose own token is the share (ERC-7575 style).
/// @dev ESCROW. A request moves the owner's shares into this contract; they stay vault shares (the share price
/// still moves for them) until the request is fulfilled, when this contract redeems them from the vault for itself.
/// ORDER. Requests get increasing ids and `head` only moves forward, so fulfilment is strictly first in, first out:
/// every id below `head` is fulfilled, claimed or cancelled, every pending id is at or above it. A controller's own
/// ids are increasing too, so its fulfilled requests always come before its pending ones in `requestIdsOf`.
/// PRICE. Each request records the assets the vault paid for it at fulfilment; claims take from the controller's
/// fulfilled requests oldest first (a per-controller cursor), each at its own recorded price, rounding against the
/// claimant. What a controller can claim is the sum of its requests, so nobody can claim another's assets.
/// BOOKS. pendingShares = Σ shares of pending requests (the escrow); claimableAssets = Σ assets of fulfilled,
/// unclaimed requests (what this contract holds of the asset). Anything above either is stray and can be skimmed.
contract RedemptionQueue is IRedemptionQueue, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @notice Per-controller totals and the claim cursor (index into the controller's id list).
    struct ControllerBook {
        uint256 pendingShares;
        uint256 claimableShares;
        uint256 claimableAssets;
        uint256 cursor;
    }

    /// @notice The vault whose shares this queue takes and redeems.
    IRollupVault public immutable VAULT;
    /// @notice The vault's asset.
    IERC20 public immutable ASSET;

    /// @inheritdoc IRedemptionQueue
    uint256 public nextRequestId = 1;
    /// @inheritdoc IRedemptionQueue
    uint256 public head = 1;
    /// @inheritdoc IRedemptionQueue
    uint256 public pendingShares;
    /// @inheritdoc IRedemptionQueue
    uint256 public claimableAssets;

    /// @inheritdoc IERC7540Operator
    mapping(address controller => mapping(address operator => bool approved)) public isOperator;

    mapping(uint256 requestId => Request) internal _requests;
    mapping(address controller => uint256[] ids) internal _requestIds;
    mapping(address controller => ControllerBook) internal _books;

    /// @param vault_ The RollupVault to serve; its asset is read from it.
    constructor(address vault_) {
        if (vault_ == address(0)) revert ZeroAddress();
        VAULT = IRollupVault(vault_);
        ASSET = IERC20(IRollupVault(vault_).asset());
    }

    // ================================================================== ERC-165 and binding

    /// @notice ERC-7540 redemption (0x620ee8e4), ERC-7540 operators (0xe3bc4e65) and ERC-165 itself.
    /// @dev Not ERC-7575's vault id (0x2f0a18c5): that id covers the deposit side too, which lives at the vault.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return
            interfaceId == type(IERC7540Redeem).interfaceId ||
            interfaceId == type(IERC7540Operator).interfaceId ||
            interfaceId == type(IERC165).interfaceId;
    }

    /// @inheritdoc IRedemptionQueue
    function vault() external view returns (address) {
        return address(VAULT);
    }

    /// @inheritdoc IRedemptionQueue
    function share() external view returns (address) {
        return address(VAULT);
    }

    /// @inheritdoc IRedemptionQueue
    function asset() external view returns (address) {
        return address(ASSET);
    }

    // ================================================================== operators

    /// @inheritdoc IERC7540Operator
    function setOperator(address operator, bool approved) external returns (bool) {
        isOperator[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
        return true;
    }

    // ================================================================== requests

    /// @inheritdoc IERC7540Redeem
    function requestRedeem(
        uint256 shares,
        address controller,
        address owner
    ) external nonReentrant returns (uint256 requestId) {
        if (shares == 0) revert ZeroAmount();
        if (controller == address(0)) revert ZeroAddress();
        _requireSelfOrOperator(owner);
        // A request worth nothing could never be redeemed from the vault and would block the queue behind it.
        if (VAULT.previewRedeem(shares) == 0) revert RequestTooSmall(shares);

        requestId = nextRequestId++;
        _requests[requestId] = Request({
            controller: controller,
            status: Status.Pending,
            shares: shares.toUint128(),
            assets: 0
        });
        _requestIds[controller].push(requestId);
        _books[controller].pendingShares += shares;
        pendingShares += shares;
        emit RedeemRequest(controller, owner, requestId, msg.sender, shares);

        IERC20(address(VAULT)).safeTransferFrom(owner, address(this), shares);
    }

    /// @inheritdoc IRedemptionQueue
    function cancelRedeemRequest(uint256 requestId) external nonReentrant {
        Request storage request = _requests[requestId];
        if (request.status != Status.Pending) revert NotPending(requestId);
        address controller = request.controller;
        _requireSelfOrOperator(controller);
        uint256 shares = _dropPending(request);
        emit RedeemRequestCancelled(requestId, controller, msg.sender, shares);
        IERC20(address(VAULT)).safeTransfer(controller, shares);
    }

    // ================================================================== fulfilment

    /// @inheritdoc IRedemptionQueue
    function fulfill(uint256 maxRequests) external nonReentrant returns (uint256 served, uint256 assets) {
        if (maxRequests == 0) revert ZeroAmount();
        uint256 id = head;
        uint256 end = nextRequestId;
        // What the vault can pay the queue now, in shares; each redemption below lowers it by what it took.
        uint256 budget = VAULT.maxRedeem(address(this));
        for (uint256 n; n < maxRequests && id < end; ++n) {
            Request storage request = _requests[id];
            // At or above the head a request is either pending or cancelled; cancelled ones are just passed over.
            if (request.status == Status.Pending) {
                uint256 shares = request.shares;
                if (shares > budget) break;
                (bool ok, uint256 received) = _redeemFromVault(shares);
                if (ok) {
                    // shares <= budget, checked above.
                    budget -= shares;
                    _markClaimable(id, request, shares, received);
                    ++served;
                    assets += received;
                } else if (VAULT.previewRedeem(shares) == 0) {
                    // The price fell so far that the request is worth nothing: hand the shares back rather than
                    // block every request behind it.
                    address controller = request.controller;
                    _dropPending(request);
                    emit RedeemRequestRefunded(id, controller, shares);
                    IERC20(address(VAULT)).safeTransfer(controller, shares);
                } else {
                    // The vault could not pay after all (its liquidity estimate was optimistic): stop here.
                    break;
                }
            }
            ++id;
        }
        head = id;
    }

    // ================================================================== claims

    /// @inheritdoc IRedemptionQueue
    function redeem(uint256 shares, address receiver, address controller) external nonReentrant returns (uint256) {
        if (shares == 0) revert ZeroAmount();
        if (receiver == address(0)) revert ZeroAddress();
        _requireSelfOrOperator(controller);
        ControllerBook storage book = _books[controller];
        if (shares > book.claimableShares) revert ExceedsClaimable(controller, shares, book.claimableShares);
        uint256 assets = _consume(controller, book, shares, true);
        if (assets == 0) revert ZeroAssets();
        _payOut(book, receiver, controller, assets, shares);
        return assets;
    }

    /// @inheritdoc IRedemptionQueue
    function withdraw(uint256 assets, address receiver, address controller) external nonReentrant returns (uint256) {
        if (assets == 0) revert ZeroAmount();
        if (receiver == address(0)) revert ZeroAddress();
        _requireSelfOrOperator(controller);
        ControllerBook storage book = _books[controller];
        if (assets > book.claimableAssets) revert ExceedsClaimable(controller, assets, book.claimableAssets);
        uint256 shares = _consume(controller, book, assets, false);
        _payOut(book, receiver, controller, assets, shares);
        return shares;
    }

    /// @inheritdoc IRedemptionQueue
    function maxRedeem(address controller) external view returns (uint256) {
        return _books[controller].claimableShares;
    }

    /// @inheritdoc IRedemptionQueue
    function maxWithdraw(address controller) external view returns (uint256) {
        return _books[controller].claimableAssets;
    }

    /// @inheritdoc IRedemptionQueue
    function previewRedeem(uint256) external pure returns (uint256) {
        revert AsyncRedeemOnly();
    }

    /// @inheritdoc IRedemptionQueue
    function previewWithdraw(uint256) external pure returns (uint256) {
        revert AsyncRedeemOnly();
    }

    // ================================================================== ERC-7540 views

    /// @inheritdoc IERC7540Redeem
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256) {
        if (requestId == 0) return _books[controller].pendingShares;
        Request storage request = _requests[requestId];
        return request.controller == controller && request.status == Status.Pending ? request.shares : 0;
    }

    /// @inheritdoc IERC7540Redeem
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256) {
        if (requestId == 0) return _books[controller].claimableShares;
        Request storage request = _requests[requestId];
        return request.controller == controller && request.status == Status.Claimable ? request.shares : 0;
    }

    // ================================================================== liquidity views

    /// @inheritdoc IRedemptionQueue
    function liquidNow() external view returns (uint256) {
        return VAULT.liquidAssets();
    }

    /// @inheritdoc IRedemptionQueue
    function pendingAssets() external view returns (uint256) {
        return VAULT.convertToAssets(pendingShares);
    }

    /// @inheritdoc IRedemptionQueue
    function fulfillableShares() external view returns (uint256) {
        return Math.min(VAULT.maxRedeem(address(this)), pendingShares);
    }

    /// @inheritdoc IRedemptionQueue
    function controllerTotals(
        address controller
    ) external view returns (uint256 pending, uint256 claimableShares, uint256 claimableAssets_) {
        ControllerBook storage book = _books[controller];
        return (book.pendingShares, book.claimableShares, book.claimableAssets);
    }

    /// @inheritdoc IRedemptionQueue
    function getRequest(uint256 requestId) external view returns (Request memory) {
        return _requests[requestId];
    }

    /// @inheritdoc IRedemptionQueue
    function requestIdsOf(address controller) external view returns (uint256[] memory) {
        return _requestIds[controller];
    }

    /// @inheritdoc IRedemptionQueue
    function releaseSchedule() external view returns (Release[] memory releases) {
        address[] memory adapters = VAULT.withdrawQueue();
        uint256 length = Math.min(adapters.length, ConstantsLib.MAX_ADAPTERS);
        Release[] memory found = new Release[](length);
        uint256 count;
        for (uint256 i; i < length; ++i) {
            try IAsyncAdapter(adapters[i]).pendingRelease() returns (uint256 assets, uint256 readyAt) {
                if (assets != 0) found[count++] = Release(adapters[i], assets, readyAt);
            } catch {}
        }
        releases = new Release[](count);
        for (uint256 i; i < count; ++i) releases[i] = found[i];
    }

    // ================================================================== housekeeping

    /// @inheritdoc IRedemptionQueue
    function skim(address token) external nonReentrant {
        address to = VAULT.skimRecipient();
        if (to == address(0)) revert NoSkimRecipient();
        uint256 owed;
        if (token == address(VAULT)) owed = pendingShares;
        else if (token == address(ASSET)) owed = claimableAssets;
        uint256 balance = IERC20(token).balanceOf(address(this));
        if (balance <= owed) revert ZeroAmount();
        // balance > owed, checked just above.
        uint256 amount = balance - owed;
        emit Skimmed(token, to, amount);
        IERC20(token).safeTransfer(to, amount);
    }

    /// @inheritdoc IRedemptionQueue
    function claimRewards(address[] calldata tokens) external nonReentrant returns (uint256[] memory amounts) {
        address distributor = VAULT.rewardsDistributor();
        if (distributor == address(0)) revert NoRewardsDistributor();
        address to = VAULT.skimRecipient();
        if (to == address(0)) revert NoSkimRecipient();
        // The distributor pays `to` directly; this contract keeps no books for reward tokens.
        amounts = IStreamingRewardsDistributor(distributor).claim(tokens, to);
        emit RewardsClaimed(distributor, to, tokens, amounts);
    }

    // ================================================================== internal

    function _requireSelfOrOperator(address account) internal view {
        if (msg.sender != account && !isOperator[account][msg.sender]) {
            revert NotOwnerOrOperator(msg.sender, account);
        }
    }

    /// @dev Takes a pending request out of the books (cancel or refund); the caller returns the shares.
    function _dropPending(Request storage request) internal returns (uint256 shares) {
        shares = request.shares;
        request.status = Status.Cancelled;
        request.shares = 0;
        _books[request.controller].pendingShares -= shares;
        pendingShares -= shares;
    }

    /// @dev Redeems `shares` of the escrow from the vault; a revert is reported, not bubbled, so that `fulfill`
    /// keeps what it served before. The assets are measured by this contract's balance change.
    function _redeemFromVault(uint256 shares) internal returns (bool ok, uint256 received) {
        uint256 before = ASSET.balanceOf(address(this));
        try VAULT.redeem(shares, address(this), address(this)) returns (uint256) {
            return (true, ASSET.balanceOf(address(this)) - before);
        } catch {
            return (false, 0);
        }
    }

    /// @dev Records the fulfilment of pending request `id` for `assets`. Written after the vault call because the
    /// assets are only known then; the vault is this contract's immutable, trusted counterpart and every entry
    /// point here is guarded against reentrancy.
    function _markClaimable(uint256 id, Request storage request, uint256 shares, uint256 assets) internal {
        request.status = Status.Claimable;
        request.assets = assets.toUint128();
        ControllerBook storage book = _books[request.controller];
        book.pendingShares -= shares;
        book.claimableShares += shares;
        book.claimableAssets += assets;
        pendingShares -= shares;
        claimableAssets += assets;
        emit RedeemRequestFulfilled(id, request.controller, shares, assets);
    }

    /// @dev Takes `amount` (shares if `byShares`, else assets) from `controller`'s fulfilled requests, oldest first,
    /// and returns the other side (assets, resp. shares) at each request's own price. Partial takes round against
    /// the claimant: assets down, shares up; the rounding stays with the same request. Loops over the controller's
    /// own requests only, and only over as many as `amount` needs. The caller has checked that the controller's
    /// claimable total covers `amount`, and fulfilled requests precede pending ones in its list.
    function _consume(
        address controller,
        ControllerBook storage book,
        uint256 amount,
        bool byShares
    ) internal returns (uint256 other) {
        uint256[] storage ids = _requestIds[controller];
        uint256 i = book.cursor;
        uint256 need = amount;
        while (need != 0) {
            Request storage request = _requests[ids[i]];
            if (request.status != Status.Claimable) {
                // Cancelled or refunded: nothing to take.
                ++i;
                continue;
            }
            uint256 shares = request.shares;
            uint256 assets = request.assets;
            uint256 have = byShares ? shares : assets;
            if (need >= have) {
                // The whole rest of the request, leftovers of earlier rounding included.
                other += byShares ? assets : shares;
                need -= have;
                request.shares = 0;
                request.assets = 0;
                request.status = Status.Claimed;
                ++i;
            } else if (byShares) {
                // need < shares, so the assets taken are below the request's assets.
                uint256 taken = Math.mulDiv(need, assets, shares);
                request.shares = uint128(shares - need);
                request.assets = uint128(assets - taken);
                other += taken;
                need = 0;
            } else {
                // need < assets, so the shares taken (rounded up) are at most the request's shares.
                uint256 taken = Math.mulDiv(need, shares, assets, Math.Rounding.Ceil);
                request.shares = uint128(shares - taken);
                request.assets = uint128(assets - need);
                other += taken;
                need = 0;
            }
        }
        book.cursor = i;
    }

    /// @dev Updates the claim books and pays `assets` to `receiver`.
    function _payOut(
        ControllerBook storage book,
        address receiver,
        address controller,
        uint256 assets,
        uint256 shares
    ) internal {
        book.claimableShares -= shares;
        book.claimableAssets -= assets;
        claimableAssets -= assets;
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
        ASSET.safeTransfer(receiver, assets);
    }
}
