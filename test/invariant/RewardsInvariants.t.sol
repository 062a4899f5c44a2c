// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

import {IRollupVault} from "../../contracts/interfaces/IRollupVault.sol";
import {RewardsDistributor} from "../../contracts/rewards/RewardsDistributor.sol";
import {MisbehavingERC20} from "../../contracts/test-support/MisbehavingERC20.sol";
import {MockERC20} from "../../contracts/test-support/MockERC20.sol";
import {MockERC4626Target} from "../../contracts/test-support/MockERC4626Target.sol";
import {MockRewardAdapter} from "../../contracts/test-support/MockRewardAdapter.sol";
import {RollupVault} from "../../contracts/vault/RollupVault.sol";
import {VaultAdmin} from "../../contracts/vault/VaultAdmin.sol";
import {RewardsHandler} from "./handlers/RewardsHandler.sol";

/// @title RewardsInvariantsTest
/// @notice What must hold for the RewardsDistributors of a RollupVault whose adapter pays three allowed reward tokens
/// (18 and 6 decimals, and an 18-decimal one that at times reverts or burns its gas towards the distributor) and a
/// flood of junk nobody allowed, after any sequence of deposits, mints, withdrawals, redemptions, share transfers
/// among four holders, reward payments, keeper harvests, the whole vault emptying while streams run, claims of any
/// subset from any distributor to any receiver, allocations, time passing and migrations to a new distributor.
/// @dev The distributor's books per token (see RewardsDistributor, BOOKS and ACCUMULATORS), as of now:
///   balance    = harvested - claimed                      (tokens enter only by harvest, leave only by claim)
///   accounted  = streaming + owedToHolders + dust         (streamOf's third figure)
///   held       = balance - accounted                      (streamed while the vault had no shares; streams again)
/// where owedToHolders = sum over holders of earned(), each figure summed over every distributor the vault had (a
/// migration moves what streams and what is held to the successor). So harvested = claimed + owedToHolders +
/// streaming + held + dust, and dust, the rounding remainder, is at most one wei per settlement: each stream advance pays out its growth
/// rounded up (less than one wei more than the holders' exact shares) and each holder settlement rounds down (less
/// than one wei). The handler counts an upper bound of those settlements.
contract RewardsInvariantsTest is StdInvariant, Test {
    IRollupVault internal vault;
    RewardsDistributor internal distributor;
    RewardsHandler internal handler;

    function setUp() public {
        MockERC20 asset = new MockERC20("Test Asset", "TKN", 6);
        VaultAdmin admin = new VaultAdmin();
        vault = IRollupVault(
            address(new RollupVault(IERC20(address(asset)), "Rollup Vault", "rvTKN", address(this), address(admin)))
        );
        distributor = new RewardsDistributor(address(vault), 7 days);
        vault.setRewardsDistributor(address(distributor));
        MisbehavingERC20 bad = new MisbehavingERC20();

        MockERC4626Target target = new MockERC4626Target(IERC20(address(asset)));
        MockRewardAdapter adapter = new MockRewardAdapter(address(vault), IERC4626(address(target)));
        MockERC20[] memory rewardTokens = new MockERC20[](3);
        rewardTokens[0] = new MockERC20("Reward Eighteen", "R18", 18);
        rewardTokens[1] = new MockERC20("Reward Six", "R6", 6);
        // Same ABI for what the handler calls (mint, balanceOf, decimals).
        rewardTokens[2] = MockERC20(address(bad));
        address[] memory tokens = new address[](3);
        for (uint256 t; t < 3; ++t) {
            tokens[t] = address(rewardTokens[t]);
            distributor.setAllowed(tokens[t], true);
        }
        adapter.setRewardTokens(tokens);
        vault.addAdapter(address(adapter), type(uint128).max, 10_000);

        address[] memory holders = new address[](4);
        holders[0] = makeAddr("alice");
        holders[1] = makeAddr("bob");
        holders[2] = makeAddr("carol");
        holders[3] = makeAddr("dave");
        handler = new RewardsHandler(vault, asset, distributor, adapter, rewardTokens, holders);
        vault.setAllocator(address(handler), true);
        vault.setKeeper(address(handler), true);
        // The handler migrates distributors: it owns the vault (the timelock is zero, so this is immediate).
        vault.setOwner(address(handler));

        bytes4[] memory selectors = new bytes4[](14);
        selectors[0] = RewardsHandler.deposit.selector;
        selectors[1] = RewardsHandler.mint.selector;
        selectors[2] = RewardsHandler.withdraw.selector;
        selectors[3] = RewardsHandler.redeem.selector;
        selectors[4] = RewardsHandler.transfer.selector;
        selectors[5] = RewardsHandler.claim.selector;
        selectors[6] = RewardsHandler.payRewards.selector;
        selectors[7] = RewardsHandler.harvest.selector;
        selectors[8] = RewardsHandler.allocate.selector;
        selectors[9] = RewardsHandler.warp.selector;
        selectors[10] = RewardsHandler.exitAll.selector;
        selectors[11] = RewardsHandler.payJunk.selector;
        selectors[12] = RewardsHandler.setBadMode.selector;
        selectors[13] = RewardsHandler.migrate.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice All the properties below, in one campaign (forge runs one campaign per invariant function, and one
    /// campaign of 256 x 64 calls here costs about 30 s of the CI budget).
    function invariant_rewards() public view {
        _checkRewardsAddUp();
        _checkClaimsWithinHarvested();
        _checkDistributorCoversWhatIsOwed();
        // No holder's earned ever fell except by its own claim (the handler checks around every action).
        assertFalse(handler.earnedFell(), string.concat("a holder's earned fell in ", handler.earnedFellIn()));
        _checkSharesWithHolders();
        _checkOnlyAllowedListed();
    }

    /// @notice Per token: harvested = claimed + owed to holders + still streaming + held + dust, where every term is
    /// read from the distributors and the dust (the rounding remainder) is between 0 and the settlement count in wei.
    function _checkRewardsAddUp() internal view {
        MockERC20[] memory tokens = handler.rewardTokens();
        RewardsDistributor[] memory distributors = handler.distributors();
        for (uint256 t; t < tokens.length; ++t) {
            address token = address(tokens[t]);
            uint256 claimed = handler.ghostClaimed(token);
            uint256 balance;
            uint256 dust;
            for (uint256 d; d < distributors.length; ++d) {
                (uint256 b, uint256 x) = _booksOf(distributors[d], tokens[t]);
                balance += b;
                dust += x;
            }
            assertEq(balance + claimed, handler.ghostHarvested(token), "distributor balances + claimed != harvested");
            assertLe(dust, handler.ghostSettlements(), "rounding remainder above one wei per settlement");
        }
    }

    /// @dev One distributor's balance of `token` and rounding dust, checking its books on the way.
    function _booksOf(RewardsDistributor d, MockERC20 token) internal view returns (uint256 balance, uint256 dust) {
        address[] memory holders = handler.holders();
        balance = token.balanceOf(address(d));
        (uint256 streaming, , uint256 accounted) = d.streamOf(address(token));
        assertLe(accounted, balance, "distributor owes more than it holds");
        assertLe(streaming, accounted, "streaming above the books");
        uint256 owed;
        for (uint256 h; h < holders.length; ++h) owed += d.earned(holders[h], address(token));
        assertLe(owed, accounted - streaming, "holders owed more than the books streamed to them");
        dust = accounted - streaming - owed;
        if (d.successor() != address(0)) assertEq(streaming, 0, "a detached distributor still streams");
    }

    /// @notice No distributor ever lists a token nobody allowed (the junk flood stays out).
    function _checkOnlyAllowedListed() internal view {
        RewardsDistributor[] memory distributors = handler.distributors();
        address[] memory junk = handler.junk();
        for (uint256 d; d < distributors.length; ++d) {
            for (uint256 j; j < junk.length; ++j) {
                assertFalse(distributors[d].isRewardToken(junk[j]), "a junk token was listed");
            }
            assertLe(distributors[d].rewardTokens().length, 3, "more tokens listed than allowed");
        }
    }

    /// @notice Per token: the claims never exceed what was harvested, nor does any holder's share of them.
    function _checkClaimsWithinHarvested() internal view {
        MockERC20[] memory tokens = handler.rewardTokens();
        address[] memory holders = handler.holders();
        for (uint256 t; t < tokens.length; ++t) {
            address token = address(tokens[t]);
            uint256 claimed = handler.ghostClaimed(token);
            assertLe(claimed, handler.ghostHarvested(token), "claims above harvested");
            uint256 byHolders;
            for (uint256 h; h < holders.length; ++h) byHolders += handler.ghostClaimedBy(token, holders[h]);
            assertEq(byHolders, claimed, "claims outside the known holders");
        }
    }

    /// @notice Per token and distributor: it holds at least what it owes (every holder's earned plus what streams).
    function _checkDistributorCoversWhatIsOwed() internal view {
        MockERC20[] memory tokens = handler.rewardTokens();
        address[] memory holders = handler.holders();
        RewardsDistributor[] memory distributors = handler.distributors();
        for (uint256 d; d < distributors.length; ++d) {
            for (uint256 t; t < tokens.length; ++t) {
                (uint256 streaming, , ) = distributors[d].streamOf(address(tokens[t]));
                uint256 owed = streaming;
                for (uint256 h; h < holders.length; ++h) owed += distributors[d].earned(holders[h], address(tokens[t]));
                assertLe(owed, tokens[t].balanceOf(address(distributors[d])), "distributor balance below what it owes");
            }
        }
    }

    /// @notice Every share belongs to a holder, so the sum of earned covers all the distributor pays out.
    function _checkSharesWithHolders() internal view {
        address[] memory holders = handler.holders();
        uint256 shares;
        for (uint256 h; h < holders.length; ++h) shares += vault.balanceOf(holders[h]);
        assertEq(vault.totalSupply(), shares, "shares outside the known holders");
    }
}
