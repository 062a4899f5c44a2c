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
import {RollupVault} from "../../contracts/vault/RollupVault.sol";
import {VaultAdmin} from "../../contracts/vault/VaultAdmin.sol";
import {StargateHandler} from "./handlers/StargateHandler.sol";
import {IStargateMultiRewarderV2, IStargatePoolV2, IStargateStakingV2} from "./handlers/IStargateV2.sol";

/// @title StargateInvariantsTest
/// @notice Solvency and exits of a RollupVault routing into Stargate V2 through the real StargateV2Adapter over the
/// REAL Stargate V2 contracts (StargatePoolUSDC, StargateStaking, StargateMultiRewarder: official bytecode read from the
/// npm package stg-evm-v2's artifacts with `deployCode`; BUSL-1.1, tests only), while the planner moves the
/// pool's local credit away and back, bridgers arriving from the far chain are paid out of the pool, an outside LP
/// enters and leaves, the planner pauses and reopens the pool, holders exit in kind (LP handed out, issue 13.5), and the
/// farm streams a reward token to the staked LP (pushed to the adapter on every stake and unstake).
/// @dev Stargate LP is worth its face value (it never grows; the yield is the farm), so the adapter's totalAssets is
/// its real value and no loss can arise: the books must never exceed what the vault and the adapter hold.
contract StargateInvariantsTest is StdInvariant, Test {
    string internal constant STG = "node_modules/@stargatefinance/stg-evm-v2/artifacts/src/";
    /// @notice This chain's LayerZero endpoint id: the test contract stands in for the endpoint, whose only use by
    /// the pool here is `eid()` in its constructor (messages are delivered by the handler in the messaging roles).
    uint32 public constant eid = 30111;

    IRollupVault internal vault;
    MockERC20 internal asset;
    StargateV2Adapter internal adapter;
    IStargatePoolV2 internal pool;
    StargateHandler internal handler;

    function setUp() public {
        asset = new MockERC20("Test Asset", "TKN", 18);
        VaultAdmin admin = new VaultAdmin();
        vault = IRollupVault(
            address(new RollupVault(IERC20(address(asset)), "Rollup Vault", "rvTKN", address(this), address(admin)))
        );
        pool = IStargatePoolV2(
            deployCode(
                string.concat(STG, "usdc/StargatePoolUSDC.sol/StargatePoolUSDC.json"),
                abi.encode("USDC-LP", "S*USDC", address(asset), uint8(18), uint8(6), address(this), address(this))
            )
        );
        address staking = deployCode(
            string.concat(STG, "peripheral/rewarder/StargateStaking.sol/StargateStaking.json")
        );
        address rewarder = deployCode(
            string.concat(STG, "peripheral/rewarder/StargateMultiRewarder.sol/StargateMultiRewarder.json"),
            abi.encode(staking)
        );
        IERC20 lp = IERC20(pool.lpToken());
        IStargateStakingV2(staking).setPool(lp, rewarder);
        // A farm token streaming a million tokens over a year to whoever stakes the LP.
        MockERC20 farm = new MockERC20("Stargate", "STG", 18);
        farm.mint(address(this), 1_000_000e18);
        farm.approve(rewarder, 1_000_000e18);
        IERC20[] memory lps = new IERC20[](1);
        lps[0] = lp;
        uint48[] memory points = new uint48[](1);
        points[0] = 1;
        IStargateMultiRewarderV2(rewarder).setAllocPoints(address(farm), lps, points);
        IStargateMultiRewarderV2(rewarder).setReward(address(farm), 1_000_000e18, uint48(block.timestamp), 365 days);
        adapter = new StargateV2Adapter(address(vault), address(pool), staking, address(new MockWETH()));
        vault.addAdapter(address(adapter), type(uint128).max, 10_000);

        address[] memory holders = new address[](3);
        holders[0] = makeAddr("alice");
        holders[1] = makeAddr("bob");
        holders[2] = makeAddr("carol");
        handler = new StargateHandler(vault, asset, adapter, pool, holders);
        // The handler is the pool's planner and its two messaging contracts: it moves credit and delivers taxis.
        pool.setAddressConfig(
            IStargatePoolV2.AddressConfig({
                feeLib: address(0),
                planner: address(handler),
                treasurer: address(this),
                tokenMessaging: address(handler),
                creditMessaging: address(handler),
                lzToken: address(0)
            })
        );
        vault.setAllocator(address(handler), true);
        vault.setKeeper(address(handler), true);

        // A 0.5% in-kind penalty (issue 13.5): in-kind exits run among the other actions.
        vault.setInKindPenalty(50);

        bytes4[] memory selectors = new bytes4[](15);
        selectors[0] = StargateHandler.deposit.selector;
        selectors[1] = StargateHandler.withdraw.selector;
        selectors[2] = StargateHandler.redeem.selector;
        selectors[3] = StargateHandler.allocate.selector;
        selectors[4] = StargateHandler.deallocate.selector;
        selectors[5] = StargateHandler.report.selector;
        selectors[6] = StargateHandler.moveCreditAway.selector;
        selectors[7] = StargateHandler.moveCreditBack.selector;
        selectors[8] = StargateHandler.bridgerPaid.selector;
        selectors[9] = StargateHandler.outsiderLp.selector;
        selectors[10] = StargateHandler.setPoolPaused.selector;
        selectors[11] = StargateHandler.donateToAdapter.selector;
        selectors[12] = StargateHandler.warp.selector;
        // Allocations twice as often, so that most of the money sits in the pool when credit runs short.
        selectors[13] = StargateHandler.allocate.selector;
        selectors[14] = StargateHandler.redeemInKind.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice All the properties below, in one campaign (forge runs one campaign per invariant function).
    function invariant_stargate() public {
        _checkCreditModel();
        _checkSolvency();
        _checkIdleBacked();
        _checkMaxWithdrawIsPayable();
    }

    /// @notice The real pool's books: local credit plus the credit away on the far chain is what the pool holds (no
    /// fees here), and the adapter's releasable never exceeds the local credit plus what it holds loose.
    function _checkCreditModel() internal view {
        assertEq(
            pool.redeemable(address(0)) + handler.creditAway(),
            pool.poolBalance(),
            "local credit + credit away != pool balance"
        );
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
                IStargateStakingV2(adapter.STAKING()).balanceOf(IERC20(pool.lpToken()), address(adapter));
        uint256 outOfPool = pool.status() == 3 ? 0 : Math.min(lp, pool.redeemable(address(0)));
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
