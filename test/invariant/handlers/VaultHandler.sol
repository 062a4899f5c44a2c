// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ERC4626Adapter} from "../../../contracts/adapters/ERC4626Adapter.sol";
import {IRollupVault} from "../../../contracts/interfaces/IRollupVault.sol";
import {IVaultErrors} from "../../../contracts/interfaces/IVaultErrors.sol";
import {ConstantsLib} from "../../../contracts/libraries/ConstantsLib.sol";
import {MockERC20} from "../../../contracts/test-support/MockERC20.sol";
import {MockERC4626Target} from "../../../contracts/test-support/MockERC4626Target.sol";
import {MisbehavingAdapter} from "../../../contracts/test-support/MisbehavingAdapter.sol";
import {IVaultEvents} from "../../../contracts/interfaces/IVaultEvents.sol";
import {Vm} from "forge-std/Vm.sol";
import {IAdapter} from "../../../contracts/interfaces/IAdapter.sol";

/// @title VaultHandler
/// @notice Drives one RollupVault through random sequences of user, allocator and keeper actions, and of market
/// events on its two ERC-4626 targets, with bounded inputs. It keeps ghost books of every asset that entered or left
/// the vault's books and watches the share price after each action.
/// @dev The handler is the vault's allocator, keeper, curator and guardian. Holders are three users and the fee
/// recipient, so that fee shares are spent like any other. Every action bounds its inputs to what the vault should
/// accept, so that the campaign runs with `fail_on_revert`: an unexpected revert (a `maxWithdraw` that cannot be
/// paid, say) fails it.
contract VaultHandler is Test {
    using Math for uint256;

    IRollupVault public immutable VAULT;
    MockERC20 public immutable ASSET;
    /// @notice 10^(asset decimals): one whole token.
    uint256 public immutable UNIT;
    /// @notice The virtual shares the vault adds: 10^(18 - asset decimals).
    uint256 public immutable VIRTUAL_SHARES;
    /// @notice Largest single amount a user brings: ten million whole tokens. With 64 calls a run, the books stay
    /// below 10^9 tokens, far inside the vault's uint128 books, while 1 wei amounts test the rounding.
    uint256 public immutable MAX_AMOUNT;

    MockERC4626Target[] internal _targets;
    ERC4626Adapter[] internal _adapters;
    address[] internal _holders;
    /// @notice A third adapter, holding assets itself, that turns faulty: it reverts, lies (a huge totalAssets),
    /// returns junk, or burns its gas (issue 8.2). Its `releasable` never overstates (see setBadMode).
    MisbehavingAdapter public immutable BAD;
    /// @notice BAD's fault: 0 none, 1 reverts everywhere, 2 reports type(uint256).max, 3 returns one byte from its
    /// views, 4 burns its gas in views and deallocate.
    uint256 public badMode;

    // ------------------------------------------------------------------ ghost books
    /// @notice Assets deposits brought into the books.
    uint256 public ghostDeposited;
    /// @notice Book assets exits took out (paid to receivers plus the loss share withdrawers bore).
    uint256 public ghostExited;
    /// @notice Assets receivers got from exits.
    uint256 public ghostPaid;
    /// @notice Loss shares borne by `withdrawWithMaxLoss` and `redeemWithMaxLoss` callers.
    uint256 public ghostExitLoss;
    /// @notice Gains and losses realised by reports.
    uint256 public ghostReportedGain;
    uint256 public ghostReportedLoss;
    /// @notice Visible losses booked outside reports (LossRealized: pro rata on exits, deallocations, shutdown, and
    /// other adapters' losses booked before a report's gain), read from the vault's events.
    uint256 public ghostRealizedLoss;
    /// @notice Market events the handler caused on the targets and adapters.
    uint256 public ghostSimulatedGain;
    uint256 public ghostSimulatedLoss;

    // ------------------------------------------------------------------ share price watch
    /// @notice The price after the last action, kept as the exact ratio the vault uses:
    /// (totalAssets + 1) / (totalSupply + virtual shares).
    uint256 public lastPriceAssets;
    uint256 public lastPriceShares;
    /// @notice Whether the action under way reported a loss: only then may the price fall.
    bool public lossReportedSinceCheck;
    /// @notice Set, never cleared, when the price fell in an action that reported no loss.
    bool public priceFellWithoutLoss;
    string public priceFellIn;

    /// @notice Losses below the dust bound (one millionth of an adapter's debt plus one wei) that the price does not
    /// count yet, measured before the action under way: an exit or shutdown that empties the adapter may reveal
    /// them, and the price may fall by that much.
    uint256 public dustBefore;

    /// @notice The time of the sequence: each action starts by warping to it.
    uint256 public currentTime;

    string internal _action;

    /// @notice Actions that changed something, by name (the rest returned early for want of anything to do).
    mapping(string name => uint256) public effectiveCalls;

    constructor(
        IRollupVault vault_,
        MockERC20 asset_,
        MockERC4626Target[] memory targets_,
        ERC4626Adapter[] memory adapters_,
        address[] memory holders_,
        MisbehavingAdapter bad_
    ) {
        BAD = bad_;
        VAULT = vault_;
        ASSET = asset_;
        UNIT = 10 ** asset_.decimals();
        VIRTUAL_SHARES = 10 ** (18 - asset_.decimals());
        MAX_AMOUNT = 10_000_000 * UNIT;
        _targets = targets_;
        _adapters = adapters_;
        _holders = holders_;
        currentTime = block.timestamp;
        (lastPriceAssets, lastPriceShares) = _price();
    }

    /// @dev Restores the sequence's time, runs the action, then checks the share price against the last action's.
    modifier action(string memory name) {
        vm.warp(currentTime);
        _action = name;
        dustBefore = _unpricedDust();
        vm.recordLogs();
        _;
        _countRealizedLosses();
        _checkPrice();
    }

    // ================================================================== views for the invariants

    function holders() external view returns (address[] memory) {
        return _holders;
    }

    function adapters() external view returns (ERC4626Adapter[] memory) {
        return _adapters;
    }

    function targets() external view returns (MockERC4626Target[] memory) {
        return _targets;
    }

    // ================================================================== users

    /// @notice A holder deposits `assets` for `receiver`.
    function deposit(uint256 callerSeed, uint256 receiverSeed, uint256 assets) external action("deposit") {
        address caller = _holder(callerSeed);
        address receiver = _holder(receiverSeed);
        // Shut down (or paused): maxDeposit is 0 and the vault refuses deposits.
        if (VAULT.maxDeposit(receiver) == 0) return;
        assets = _bound(assets, 1, MAX_AMOUNT);
        uint256 expected = VAULT.previewDeposit(assets);
        // The vault refuses a deposit worth no share (dust once the price exceeds one asset per share unit).
        if (expected == 0) return;
        _fund(caller, assets);
        vm.prank(caller);
        uint256 shares = VAULT.deposit(assets, receiver);
        assertEq(shares, expected, "deposit minted other than previewDeposit");
        ghostDeposited += assets;
        ++effectiveCalls[_action];
    }

    /// @notice A holder mints `shares` for `receiver`, bounded to what MAX_AMOUNT buys.
    function mint(uint256 callerSeed, uint256 receiverSeed, uint256 shares) external action("mint") {
        address caller = _holder(callerSeed);
        address receiver = _holder(receiverSeed);
        uint256 maxShares = VAULT.convertToShares(MAX_AMOUNT);
        if (maxShares == 0 || VAULT.maxMint(receiver) == 0) return;
        shares = _bound(shares, 1, maxShares);
        // Rounded up, so at least 1 wei for any share: a mint is never free.
        uint256 expected = VAULT.previewMint(shares);
        _fund(caller, expected);
        vm.prank(caller);
        uint256 assets = VAULT.mint(shares, receiver);
        assertEq(assets, expected, "mint took other than previewMint");
        ghostDeposited += assets;
        ++effectiveCalls[_action];
    }

    /// @notice A holder withdraws up to its `maxWithdraw`; a plain withdrawal pays exactly what was asked.
    function withdraw(uint256 ownerSeed, uint256 receiverSeed, uint256 assets) external action("withdraw") {
        address owner = _holderWithShares(ownerSeed);
        address receiver = _holder(receiverSeed);
        uint256 max = VAULT.maxWithdraw(owner);
        if (max == 0) return;
        assets = _bound(assets, 1, max);
        uint256 expectedShares = VAULT.previewWithdraw(assets);
        uint256 before = ASSET.balanceOf(receiver);
        vm.prank(owner);
        uint256 shares = VAULT.withdraw(assets, receiver, owner);
        assertEq(shares, expectedShares, "withdraw burned other than previewWithdraw");
        assertEq(ASSET.balanceOf(receiver) - before, assets, "withdraw paid other than asked");
        ghostExited += assets;
        ghostPaid += assets;
        ++effectiveCalls[_action];
    }

    /// @notice A holder redeems up to its `maxRedeem`; a plain redemption pays exactly `previewRedeem`.
    function redeem(uint256 ownerSeed, uint256 receiverSeed, uint256 shares) external action("redeem") {
        address owner = _holderWithShares(ownerSeed);
        address receiver = _holder(receiverSeed);
        uint256 max = VAULT.maxRedeem(owner);
        if (max == 0) return;
        shares = _bound(shares, 1, max);
        uint256 expected = VAULT.previewRedeem(shares);
        // The vault refuses an exit worth no asset.
        if (expected == 0) return;
        uint256 before = ASSET.balanceOf(receiver);
        vm.prank(owner);
        uint256 assets = VAULT.redeem(shares, receiver, owner);
        assertEq(assets, expected, "redeem paid other than previewRedeem");
        assertEq(ASSET.balanceOf(receiver) - before, assets, "redeem transferred other than it returned");
        ghostExited += assets;
        ghostPaid += assets;
        ++effectiveCalls[_action];
    }

    /// @notice A holder withdraws up to all it owns, accepting any loss share: lossy adapters are tapped too.
    function withdrawWithMaxLoss(
        uint256 ownerSeed,
        uint256 receiverSeed,
        uint256 assets
    ) external action("withdrawWithMaxLoss") {
        address owner = _holderWithShares(ownerSeed);
        address receiver = _holder(receiverSeed);
        uint256 owned = VAULT.convertToAssets(VAULT.balanceOf(owner));
        if (owned == 0) return;
        // Half of the calls take everything, so that idle and healthy adapters run short and lossy ones are tapped.
        assets = assets % 2 == 0 ? owned : _bound(assets, 1, owned);
        uint256 expectedShares = VAULT.previewWithdraw(assets);
        uint256 before = ASSET.balanceOf(receiver);
        vm.prank(owner);
        try VAULT.withdrawWithMaxLoss(assets, receiver, owner, ConstantsLib.BPS) returns (uint256 shares) {
            uint256 paid = ASSET.balanceOf(receiver) - before;
            assertEq(shares, expectedShares, "withdrawWithMaxLoss burned other than previewWithdraw");
            assertLe(paid, assets, "withdrawWithMaxLoss paid more than asked");
            ghostExited += assets;
            ghostPaid += paid;
            ghostExitLoss += assets - paid;
            ++effectiveCalls[_action];
        } catch (bytes memory reason) {
            // Forge records the logs of a reverted call too: drop them (nothing was booked).
            vm.getRecordedLogs();
            // The one acceptable refusal: idle plus the whole queue, lossy adapters included, cannot cover it.
            assertEq(
                bytes4(reason),
                IVaultErrors.InsufficientLiquidity.selector,
                "unexpected withdrawWithMaxLoss revert"
            );
        }
    }

    /// @notice A holder redeems up to all its shares, accepting any loss share.
    function redeemWithMaxLoss(
        uint256 ownerSeed,
        uint256 receiverSeed,
        uint256 shares
    ) external action("redeemWithMaxLoss") {
        address owner = _holderWithShares(ownerSeed);
        address receiver = _holder(receiverSeed);
        uint256 balance = VAULT.balanceOf(owner);
        if (balance == 0) return;
        shares = shares % 2 == 0 ? balance : _bound(shares, 1, balance);
        uint256 bookAssets = VAULT.previewRedeem(shares);
        if (bookAssets == 0) return;
        uint256 before = ASSET.balanceOf(receiver);
        vm.prank(owner);
        try VAULT.redeemWithMaxLoss(shares, receiver, owner, ConstantsLib.BPS) returns (uint256 paid) {
            assertEq(ASSET.balanceOf(receiver) - before, paid, "redeemWithMaxLoss transferred other than it returned");
            assertLe(paid, bookAssets, "redeemWithMaxLoss paid more than the shares' book value");
            ghostExited += bookAssets;
            ghostPaid += paid;
            ghostExitLoss += bookAssets - paid;
            ++effectiveCalls[_action];
        } catch (bytes memory reason) {
            // Forge records the logs of a reverted call too: drop them (nothing was booked).
            vm.getRecordedLogs();
            assertEq(
                bytes4(reason),
                IVaultErrors.InsufficientLiquidity.selector,
                "unexpected redeemWithMaxLoss revert"
            );
        }
    }

    /// @notice A holder transfers any part of its shares to another holder.
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 shares) external action("transfer") {
        address from = _holderWithShares(fromSeed);
        address to = _holder(toSeed);
        shares = _bound(shares, 0, VAULT.balanceOf(from));
        vm.prank(from);
        assertTrue(VAULT.transfer(to, shares));
        ++effectiveCalls[_action];
    }

    // ================================================================== allocator

    /// @notice Allocates up to the most idle, the absolute cap and the relative cap allow.
    function allocate(uint256 adapterSeed, uint256 assets) external action("allocate") {
        if (VAULT.isShutdown()) return;
        address adapter = address(_adapter(adapterSeed));
        (, uint256 debt, uint256 absoluteCap, uint256 relativeCapBps) = VAULT.adapterConfig(adapter);
        uint256 relativeCap = VAULT.totalAssets().mulDiv(relativeCapBps, ConstantsLib.BPS);
        uint256 max = Math.min(
            VAULT.totalIdle() - VAULT.minIdle(),
            Math.min(_room(absoluteCap, debt), _room(relativeCap, debt))
        );
        if (max == 0) return;
        // A quarter of the calls allocate all they may, so that exits must reach into adapters.
        assets = assets % 4 == 0 ? max : _bound(assets, 1, max);
        try VAULT.allocate(adapter, assets) {
            ++effectiveCalls[_action];
        } catch (bytes memory reason) {
            // Forge records the logs of a reverted call too: drop them (nothing was booked).
            vm.getRecordedLogs();
            // The one acceptable refusal (issue 8.4): the target holds assets no share claims (yield left after its
            // depositors left), so the shares it would mint are worth less than what is sent.
            assertEq(bytes4(reason), IAdapter.AllocationShortfall.selector, "unexpected allocate revert");
        }
    }

    /// @notice Deallocates up to the adapter's book debt; the adapter may return less (limited target liquidity).
    function deallocate(uint256 adapterSeed, uint256 assets) external action("deallocate") {
        address adapter = address(_adapterWithDebt(adapterSeed));
        (, uint256 debt, , ) = VAULT.adapterConfig(adapter);
        if (debt == 0) return;
        assets = _bound(assets, 1, debt);
        uint256 received = VAULT.deallocate(adapter, assets);
        assertLe(received, assets, "deallocate booked more than asked");
        ++effectiveCalls[_action];
    }

    /// @notice Moves the last adapter of the withdraw queue to its head.
    function rotateWithdrawQueue() external action("rotateWithdrawQueue") {
        address[] memory queue = VAULT.withdrawQueue();
        address[] memory rotated = new address[](queue.length);
        for (uint256 i; i < queue.length; ++i) rotated[(i + 1) % queue.length] = queue[i];
        VAULT.setWithdrawQueue(rotated);
        ++effectiveCalls[_action];
    }

    // ================================================================== curator and guardian

    /// @notice Sets the profit unlock time anywhere from 0 (gains count at once) to the 30-day maximum.
    function setProfitUnlockTime(uint256 time) external action("setProfitUnlockTime") {
        time = _bound(time, 0, ConstantsLib.MAX_PROFIT_UNLOCK_TIME);
        if (time == VAULT.profitUnlockTime()) return;
        VAULT.setProfitUnlockTime(time);
        ++effectiveCalls[_action];
    }

    /// @notice Shuts the vault down for good, in one call out of sixteen: a quarter of the runs end shut down, so
    /// that exits, reports and losses are also exercised after the guardian has pulled what adapters release.
    function shutdown(uint256 seed) external action("shutdown") {
        if (seed % 16 != 0 || VAULT.isShutdown()) return;
        VAULT.shutdown();
        ++effectiveCalls[_action];
    }

    // ================================================================== keeper and time

    /// @notice Reports an adapter. A gain is booked up to the vault's gain allowance, the rest left (issue 8.7).
    function report(uint256 adapterSeed) external action("report") {
        address adapter = address(_adapterWithDebt(adapterSeed));
        (, uint256 debt, , ) = VAULT.adapterConfig(adapter);
        uint256 real = ERC4626Adapter(adapter).totalAssets();
        uint256 allowance = VAULT.gainAllowance();
        // Issue 8.7: however many reports ran before, the allowance never exceeds one window's maxGainBps.
        assertLe(
            allowance,
            VAULT.totalAssets().mulDiv(VAULT.maxGainBps(), ConstantsLib.BPS),
            "gain allowance above maxGainBps of total assets"
        );
        (uint256 gain, uint256 loss) = VAULT.report(adapter);
        assertEq(gain, real > debt ? Math.min(real - debt, allowance) : 0, "report gain differs from the allowed gain");
        assertEq(loss, debt > real ? debt - real : 0, "report loss differs from debt - real");
        if (loss != 0) lossReportedSinceCheck = true;
        ghostReportedGain += gain;
        ghostReportedLoss += loss;
        ++effectiveCalls[_action];
    }

    /// @notice Lets 1 second to 10 days pass: from the same block's neighbour to past a whole 7-day profit unlock.
    function warp(uint256 secondsToPass) external action("warp") {
        currentTime += _bound(secondsToPass, 1, 10 days);
        vm.warp(currentTime);
        vm.roll(block.number + 1);
        ++effectiveCalls[_action];
    }

    // ================================================================== the faulty adapter (issue 8.2)

    /// @notice Allocates to the faulty adapter (healthy or not: its allocate never reverts, it just holds).
    function allocateBad(uint256 assets) external action("allocateBad") {
        if (VAULT.isShutdown() || badMode == 1) return;
        (, uint256 debt, , ) = VAULT.adapterConfig(address(BAD));
        uint256 relativeCap = (VAULT.totalIdle() + VAULT.totalDebt()).mulDiv(5_000, ConstantsLib.BPS);
        uint256 max = Math.min(VAULT.totalIdle() - VAULT.minIdle(), _room(relativeCap, debt));
        if (max == 0) return;
        assets = _bound(assets, 1, max);
        VAULT.allocate(address(BAD), assets);
        ++effectiveCalls[_action];
    }

    /// @notice Deallocates from the faulty adapter: a failing pull returns nothing and never reverts.
    function deallocateBad(uint256 assets) external action("deallocateBad") {
        (, uint256 debt, , ) = VAULT.adapterConfig(address(BAD));
        if (debt == 0) return;
        assets = _bound(assets, 1, debt);
        uint256 received = VAULT.deallocate(address(BAD), assets);
        assertLe(received, assets, "deallocate booked more than asked");
        if (badMode == 1 || badMode == 4) assertEq(received, 0, "a failing adapter paid");
        ++effectiveCalls[_action];
    }

    /// @notice Turns the adapter's fault on or off. A change may reveal (or hide) a loss it carries: a market event.
    function setBadMode(uint256 mode) external action("setBadMode") {
        mode = mode % 5;
        badMode = mode;
        BAD.setReverts(mode == 1);
        BAD.setReportOverride(mode == 2 ? type(uint256).max : 0);
        BAD.setShortReturn(mode == 3);
        BAD.setBurnsGas(mode == 4);
        lossReportedSinceCheck = true;
        ++effectiveCalls[_action];
    }

    /// @notice The faulty adapter loses part of what it holds (a hack): a market event.
    function badLoses(uint256 amount) external action("badLoses") {
        uint256 held = ASSET.balanceOf(address(BAD));
        if (held == 0) return;
        BAD.lose(_bound(amount, 1, held));
        lossReportedSinceCheck = true;
        ++effectiveCalls[_action];
    }

    /// @notice Anyone books a visible loss of an adapter: the price must not move.
    function realizeLoss(uint256 adapterSeed) external action("realizeLoss") {
        address adapter = adapterSeed % 3 == 2 ? address(BAD) : address(_adapter(adapterSeed));
        if (VAULT.unrealizedLoss() == 0) return;
        try VAULT.realizeLoss(adapter) {
            ++effectiveCalls[_action];
        } catch (bytes memory reason) {
            // Forge records the logs of a reverted call too: drop them (nothing was booked).
            vm.getRecordedLogs();
            assertEq(bytes4(reason), IVaultErrors.NoVisibleLoss.selector, "unexpected realizeLoss revert");
        }
    }

    // ================================================================== market events

    /// @notice Yield: sends up to 5% of what the target holds (at least one whole token) to a target that has
    /// depositors (even seed) or to the adapter itself as loose asset (odd seed). Most gains then fit the default
    /// 10% one-report limit; the fuzzer's edge values also produce gains above it.
    function simulateGain(uint256 targetSeed, uint256 amount) external action("simulateGain") {
        uint256 i = _targetWithAssets(targetSeed);
        MockERC4626Target target = _targets[i];
        // A target without depositors would hand the donation to the next one: no yield to anybody yet.
        if (target.totalSupply() == 0) return;
        amount = _bound(amount, 1, Math.max(ASSET.balanceOf(address(target)) / 20, UNIT));
        ASSET.mint(targetSeed % 2 == 0 ? address(target) : address(_adapters[i]), amount);
        ghostSimulatedGain += amount;
        ++effectiveCalls[_action];
    }

    /// @notice Loss: from 1 wei up to everything the target holds disappears (a hack or a bad debt).
    function simulateLoss(uint256 targetSeed, uint256 amount) external action("simulateLoss") {
        MockERC4626Target target = _targets[_targetWithAssets(targetSeed)];
        uint256 held = ASSET.balanceOf(address(target));
        if (held == 0) return;
        amount = _bound(amount, 1, held);
        target.simulateLoss(amount);
        // A target losing value between reports is visible at once: the price may fall here (issue 8.1).
        lossReportedSinceCheck = true;
        ghostSimulatedLoss += amount;
        ++effectiveCalls[_action];
    }

    /// @notice Borrowers take liquidity: a quarter of the calls lift the limit, the others set it anywhere from 0 to
    /// all the target holds.
    function setTargetLiquidity(uint256 targetSeed, uint256 liquidity) external action("setTargetLiquidity") {
        MockERC4626Target target = _targets[targetSeed % _targets.length];
        if (liquidity % 4 == 0) {
            target.setLiquidity(type(uint256).max);
        } else {
            target.setLiquidity(_bound(liquidity, 0, ASSET.balanceOf(address(target))));
        }
        ++effectiveCalls[_action];
    }

    /// @notice Anyone sends the asset straight to the vault: the books, so the share price, must not move.
    function donateToVault(uint256 amount) external action("donateToVault") {
        amount = _bound(amount, 1, MAX_AMOUNT);
        uint256 totalAssetsBefore = VAULT.totalAssets();
        ASSET.mint(address(VAULT), amount);
        assertEq(VAULT.totalAssets(), totalAssetsBefore, "a donation moved totalAssets");
        ++effectiveCalls[_action];
    }

    // ================================================================== internal

    uint256 internal constant PULL_ROUNDING = 2;

    /// @dev Whether the action pulls assets out of adapters.
    function _pulls(string memory name) internal pure returns (bool) {
        bytes32 h = keccak256(bytes(name));
        return
            h == keccak256("withdraw") ||
            h == keccak256("redeem") ||
            h == keccak256("withdrawWithMaxLoss") ||
            h == keccak256("redeemWithMaxLoss") ||
            h == keccak256("deallocate") ||
            h == keccak256("deallocateBad") ||
            h == keccak256("shutdown");
    }

    /// @dev Sum over adapters of debt - real where that gap is within the dust bound (so not priced).
    function _unpricedDust() internal view returns (uint256 dust) {
        for (uint256 i; i < _adapters.length + 1; ++i) {
            address adapter = i < _adapters.length ? address(_adapters[i]) : address(BAD);
            if (adapter == address(BAD) && badMode != 0) continue;
            (, uint256 debt, , ) = VAULT.adapterConfig(adapter);
            uint256 real = IAdapter(adapter).totalAssets();
            if (real < debt && debt - real <= debt / ConstantsLib.LOSS_DUST_DIVISOR + 1) dust += debt - real;
        }
    }

    /// @dev Adds the losses the vault booked outside reports in this action (LossRealized events) to the ghost.
    function _countRealizedLosses() internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(VAULT) || logs[i].topics[0] != IVaultEvents.LossRealized.selector) continue;
            (, uint256 loss) = abi.decode(logs[i].data, (uint256, uint256));
            ghostRealizedLoss += loss;
        }
    }

    function _holder(uint256 seed) internal view returns (address) {
        return _holders[seed % _holders.length];
    }

    /// @dev The seed's holder, or the next one (cyclically) that holds shares: exits and transfers by holders
    /// without shares would do nothing.
    function _holderWithShares(uint256 seed) internal view returns (address) {
        for (uint256 i; i < _holders.length; ++i) {
            address holder = _holders[((seed % _holders.length) + i) % _holders.length];
            if (VAULT.balanceOf(holder) != 0) return holder;
        }
        return _holder(seed);
    }

    function _adapter(uint256 seed) internal view returns (ERC4626Adapter) {
        return _adapters[seed % _adapters.length];
    }

    /// @dev The seed's adapter, or the next one that has book debt.
    function _adapterWithDebt(uint256 seed) internal view returns (ERC4626Adapter) {
        for (uint256 i; i < _adapters.length; ++i) {
            ERC4626Adapter adapter = _adapters[((seed % _adapters.length) + i) % _adapters.length];
            (, uint256 debt, , ) = VAULT.adapterConfig(address(adapter));
            if (debt != 0) return adapter;
        }
        return _adapter(seed);
    }

    /// @dev The seed's target, or the next one that holds assets.
    function _targetWithAssets(uint256 seed) internal view returns (uint256) {
        for (uint256 i; i < _targets.length; ++i) {
            uint256 index = ((seed % _targets.length) + i) % _targets.length;
            if (ASSET.balanceOf(address(_targets[index])) != 0) return index;
        }
        return seed % _targets.length;
    }

    function _fund(address account, uint256 assets) internal {
        ASSET.mint(account, assets);
        vm.prank(account);
        ASSET.approve(address(VAULT), assets);
    }

    function _room(uint256 cap, uint256 used) internal pure returns (uint256) {
        return cap > used ? cap - used : 0;
    }

    /// @dev The exact ratio OpenZeppelin's ERC4626 converts with.
    function _price() internal view returns (uint256 assets, uint256 shares) {
        return (VAULT.totalAssets() + 1, VAULT.totalSupply() + VIRTUAL_SHARES);
    }

    /// @dev Compares (assets / shares) with the last action's ratio exactly, by 512-bit cross products.
    function _checkPrice() internal {
        (uint256 assets, uint256 shares) = _price();
        // An action that pulls from a target may lose the target's rounding (a withdrawal burns shares rounded up):
        // up to PULL_ROUNDING wei per adapter, visible at once when beyond the dust bound of a small position.
        uint256 tolerance = dustBefore + (_pulls(_action) ? PULL_ROUNDING * (_adapters.length + 1) : 0);
        (uint256 newHigh, uint256 newLow) = Math.mul512(assets + tolerance, lastPriceShares);
        (uint256 oldHigh, uint256 oldLow) = Math.mul512(lastPriceAssets, shares);
        bool fell = newHigh < oldHigh || (newHigh == oldHigh && newLow < oldLow);
        if (fell && !lossReportedSinceCheck && !priceFellWithoutLoss) {
            priceFellWithoutLoss = true;
            priceFellIn = _action;
        }
        (lastPriceAssets, lastPriceShares) = (assets, shares);
        lossReportedSinceCheck = false;
    }
}
