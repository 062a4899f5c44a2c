// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {StargateV2Adapter} from "../../contracts/adapters/StargateV2Adapter.sol";
import {IRollupVault} from "../../contracts/interfaces/IRollupVault.sol";
import {MockERC20} from "../../contracts/test-support/MockERC20.sol";
import {MockWETH} from "../../contracts/test-support/MockWETH.sol";
import {MockStargateMultiRewarder} from "../../contracts/test-support/stargate/MockStargateMultiRewarder.sol";
import {MockStargatePool} from "../../contracts/test-support/stargate/MockStargatePool.sol";
import {MockStargateStaking} from "../../contracts/test-support/stargate/MockStargateStaking.sol";
import {RollupVault} from "../../contracts/vault/RollupVault.sol";
import {VaultAdmin} from "../../contracts/vault/VaultAdmin.sol";
import {StargateHandler} from "./handlers/StargateHandler.sol";

/// @title StargateInvariantsTest
/// @notice Solvency and exits of a RollupVault routing into Stargate V2 through the real StargateV2Adapter, while the
/// bridge drains and refills the pool's local credit, an outside LP enters and leaves, the pool pauses and reopens,
/// and a farm streams a reward token to the staked LP (pushed to the adapter on every stake and unstake).
/// @dev Stargate LP is worth its face value (it never grows; the yield is the farm), so the adapter's totalAssets is
/// its real value and no loss can arise: the books must never exceed what the vault and the adapter hold.
contract StargateInvariantsTest is StdInvariant, Test {
    IRollupVault internal vault;
    MockERC20 internal asset;
    StargateV2Adapter internal adapter;
    MockStargatePool internal pool;
    StargateHandler internal handler;

    function setUp() public {
        asset = new MockERC20("Test Asset", "TKN", 18);
        VaultAdmin admin = new VaultAdmin();
        vault = IRollupVault(
            address(new RollupVault(IERC20(address(asset)), "Rollup Vault", "rvTKN", address(this), address(admin)))
        );
        pool = new MockStargatePool(address(asset), 18, 6);
        MockStargateStaking staking = new MockStargateStaking();
        MockStargateMultiRewarder rewarder = new MockStargateMultiRewarder(address(staking));
        staking.setPool(IERC20(pool.lpToken()), rewarder);
        // A farm token streaming a million tokens over a year to whoever stakes the LP.
        MockERC20 farm = new MockERC20("Stargate", "STG", 18);
        farm.mint(address(this), 1_000_000e18);
        farm.approve(address(rewarder), 1_000_000e18);
        rewarder.setReward(address(farm), 1_000_000e18, 365 days);
        adapter = new StargateV2Adapter(address(vault), address(pool), address(staking), address(new MockWETH()));
        vault.addAdapter(address(adapter), type(uint128).max, 10_000);

        address[] memory holders = new address[](3);
        holders[0] = makeAddr("alice");
        holders[1] = makeAddr("bob");
        holders[2] = makeAddr("carol");
        handler = new StargateHandler(vault, asset, adapter, pool, holders);
        vault.setAllocator(address(handler), true);
        vault.setKeeper(address(handler), true);

        bytes4[] memory selectors = new bytes4[](13);
        selectors[0] = StargateHandler.deposit.selector;
        selectors[1] = StargateHandler.withdraw.selector;
        selectors[2] = StargateHandler.redeem.selector;
        selectors[3] = StargateHandler.allocate.selector;
        selectors[4] = StargateHandler.deallocate.selector;
        selectors[5] = StargateHandler.report.selector;
        selectors[6] = StargateHandler.drainCredit.selector;
        selectors[7] = StargateHandler.refillCredit.selector;
        selectors[8] = StargateHandler.outsiderLp.selector;
        selectors[9] = StargateHandler.setPoolPaused.selector;
        selectors[10] = StargateHandler.donateToAdapter.selector;
        selectors[11] = StargateHandler.warp.selector;
        // Allocations twice as often, so that most of the money sits in the pool when credit runs short.
        selectors[12] = StargateHandler.allocate.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice All the properties below, in one campaign (forge runs one campaign per invariant function).
    function invariant_stargate() public {
        _checkSolvency();
        _checkIdleBacked();
        _checkMaxWithdrawIsPayable();
    }

    /// @notice The books never exceed what the vault and the adapter really hold (LP at face value, staked or not,
    /// plus loose asset).
    function _checkSolvency() internal view {
        uint256 real = asset.balanceOf(address(vault)) + adapter.totalAssets();
        assertLe(vault.totalAssets(), real, "totalAssets above what the vault and the adapter hold");
        (, uint256 debt, , ) = vault.adapterConfig(address(adapter));
        assertLe(debt, adapter.totalAssets(), "adapter debt above its real assets (no loss can arise here)");
    }

    /// @notice The idle the books count is in the vault's balance.
    function _checkIdleBacked() internal view {
        assertLe(vault.totalIdle(), asset.balanceOf(address(vault)), "totalIdle above the vault's balance");
    }

    /// @notice No holder is promised more than can be paid now, even with the credit drained or the pool paused:
    /// the adapter's releasable is within its loose asset plus the LP the credit lets out (nothing but loose while
    /// paused); each holder's maxWithdraw is within liquidAssets; then, in a snapshot, every holder in turn withdraws
    /// its fresh maxWithdraw, which must succeed and pay exactly that, and together they take at most the vault's
    /// balance plus what the adapter could really release before the run; likewise by shares with maxRedeem.
    function _checkMaxWithdrawIsPayable() internal {
        address[] memory holders = handler.holders();
        uint256 loose = asset.balanceOf(address(adapter));
        uint256 lp =
            IERC20(pool.lpToken()).balanceOf(address(adapter)) +
                MockStargateStaking(adapter.STAKING()).balanceOf(IERC20(pool.lpToken()), address(adapter));
        uint256 outOfPool = pool.status() == 3 ? 0 : Math.min(lp, pool.credit());
        assertLe(adapter.releasable(), loose + outOfPool, "adapter releasable above loose plus what credit lets out");
        uint256 liquid = vault.liquidAssets();
        assertLe(liquid, vault.totalIdle() + adapter.releasable(), "liquidAssets above idle plus releasable");
        for (uint256 i; i < holders.length; ++i) {
            assertLe(vault.maxWithdraw(holders[i]), liquid, "a holder's maxWithdraw above liquidAssets");
        }
        uint256 payable_ = asset.balanceOf(address(vault)) + loose + outOfPool;

        uint256 snapshot = vm.snapshotState();
        uint256 paid;
        for (uint256 i; i < holders.length; ++i) {
            uint256 max = vault.maxWithdraw(holders[i]);
            if (max == 0) continue;
            uint256 before = asset.balanceOf(holders[i]);
            vm.prank(holders[i]);
            vault.withdraw(max, holders[i], holders[i]);
            assertEq(asset.balanceOf(holders[i]) - before, max, "maxWithdraw not paid in full");
            paid += max;
        }
        assertLe(paid, payable_, "a bank run took more than could be paid");
        assertLe(vault.totalIdle(), asset.balanceOf(address(vault)), "the bank run left idle unbacked");
        vm.revertToState(snapshot);

        // The same run by shares: every holder redeems its fresh maxRedeem and gets exactly previewRedeem.
        snapshot = vm.snapshotState();
        paid = 0;
        for (uint256 i; i < holders.length; ++i) {
            uint256 max = vault.maxRedeem(holders[i]);
            assertLe(max, vault.balanceOf(holders[i]), "maxRedeem above the balance");
            uint256 expected = vault.previewRedeem(max);
            if (expected == 0) continue;
            uint256 before = asset.balanceOf(holders[i]);
            vm.prank(holders[i]);
            vault.redeem(max, holders[i], holders[i]);
            assertEq(asset.balanceOf(holders[i]) - before, expected, "maxRedeem not paid at previewRedeem");
            paid += expected;
        }
        assertLe(paid, payable_, "a bank run by shares took more than could be paid");
        vm.revertToState(snapshot);
    }
}
