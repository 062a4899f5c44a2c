// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {IRollupVault} from "../../../contracts/interfaces/IRollupVault.sol";
import {RewardsDistributor} from "../../../contracts/rewards/RewardsDistributor.sol";
import {MisbehavingERC20} from "../../../contracts/test-support/MisbehavingERC20.sol";
import {MockERC20} from "../../../contracts/test-support/MockERC20.sol";
import {MockRewardAdapter} from "../../../contracts/test-support/MockRewardAdapter.sol";

/// @title RewardsHandler
/// @notice Drives a RollupVault with a RewardsDistributor and a MockRewardAdapter paying three allowed reward tokens
/// (one of them misbehaving towards the distributor at times: reverting or burning its gas) and a flood of junk tokens
/// nobody allowed, through random deposits, mints, withdrawals, redemptions, share transfers, reward payments to the
/// adapter, keeper harvests, claims of any subset of tokens from any distributor to any receiver, allocations, time
/// passing and migrations to a new distributor (the handler is the vault's owner). Issue 9.1, 9.2 and 9.5. It keeps ghost books of every reward
/// token harvested into the distributor and claimed out of it, and counts the settlements that may each leave one
/// wei of rounding dust in the distributor's books.
/// @dev The handler is the vault's allocator and keeper. Every action bounds its inputs to what must be accepted, so
/// the campaign runs with `fail_on_revert`.
/// The distributor keeps its accumulator modulo 2^160 (it was 2^128 when this bound was written: the handler keeps
/// the old, stricter domain, which issue 9.4 widened; RewardsDistributor.test.ts covers the 1e12-share case).
/// The handler stays inside that documented domain: an exit leaves its owner, and a transfer both its sides, with
/// either no shares or at least MIN_BALANCE (one asset wei's worth at 6 decimals), and one reward payment is at most
/// 1,000 whole tokens, so that the supply is 0 or at least 1e12 and a run's rewards (at most 64,000 whole 18-decimal
/// tokens) grow the accumulator by at most 6.4e22 * 1e27 / 1e12 = 6.4e37 < 2^128.
/// Outside that domain the campaign finds the documented failure within seconds, and it is reachable without absurd
/// amounts: 239 wei deposited, 6,875 shares (worth less than one asset wei, so they can never be redeemed) transferred
/// to a second holder, under 1,000 tokens harvested, everyone else exits, the stream runs over those 6,875 shares: the
/// accumulator wraps and about 899 tokens stay in `accounted` for good (neither claimable, re-streamed nor sweepable).
contract RewardsHandler is Test {
    IRollupVault public immutable VAULT;
    MockERC20 public immutable ASSET;
    /// @notice Every distributor the vault had, the current one last.
    RewardsDistributor[] internal _distributors;
    /// @notice The reward token that misbehaves towards the current distributor while `badMode` is not None.
    MisbehavingERC20 public immutable BAD;
    MisbehavingERC20.Mode public badMode;
    /// @notice Junk tokens paid to the adapter (never allowed), at most MAX_JUNK.
    address[] internal _junk;
    uint256 public constant MAX_JUNK = 12;
    uint256 public constant MAX_MIGRATIONS = 2;
    MockRewardAdapter public immutable ADAPTER;
    uint256 public immutable UNIT;
    uint256 public immutable MAX_AMOUNT;
    /// @notice Smallest non-zero share balance an exit or a transfer leaves behind (see the contract's dev note).
    uint256 public constant MIN_BALANCE = 1e12;

    MockERC20[] internal _rewardTokens;
    address[] internal _holders;
    /// @notice Receivers of claims: the holders and one outsider.
    address[] internal _receivers;

    // ------------------------------------------------------------------ ghost books, per reward token
    /// @notice What harvests brought into the distributor (measured by its balance).
    mapping(address token => uint256) public ghostHarvested;
    /// @notice What claims paid out (measured by the receivers' balances).
    mapping(address token => uint256) public ghostClaimed;
    /// @notice What each holder claimed.
    mapping(address token => mapping(address holder => uint256)) public ghostClaimedBy;
    /// @notice Upper bound on the settlements (stream advances and holder settlements) that may each have rounded
    /// away less than one wei: two per mint or burn (the advance and the holder), three per transfer, one per
    /// harvest (the notify's advance), two per claimed token.
    uint256 public ghostSettlements;
    /// @notice Set when a holder's `earned` fell in an action other than its own claim.
    bool public earnedFell;
    string public earnedFellIn;

    uint256 public currentTime;
    string internal _action;
    mapping(string name => uint256) public effectiveCalls;

    constructor(
        IRollupVault vault_,
        MockERC20 asset_,
        RewardsDistributor distributor_,
        MockRewardAdapter adapter_,
        MockERC20[] memory rewardTokens_,
        address[] memory holders_
    ) {
        VAULT = vault_;
        ASSET = asset_;
        _distributors.push(distributor_);
        // The last reward token is the misbehaving one.
        BAD = MisbehavingERC20(address(rewardTokens_[rewardTokens_.length - 1]));
        ADAPTER = adapter_;
        UNIT = 10 ** asset_.decimals();
        MAX_AMOUNT = 10_000_000 * UNIT;
        _rewardTokens = rewardTokens_;
        _holders = holders_;
        _receivers = holders_;
        _receivers.push(makeAddr("outsider"));
        currentTime = block.timestamp;
    }

    /// @dev Restores the sequence's time, runs the action, and checks that no holder's `earned` fell unless the
    /// action was that holder's claim (which zeroes what it claimed; checked in `claim` itself).
    modifier action(string memory name) {
        vm.warp(currentTime);
        _action = name;
        uint256[][] memory before = _earnedAll();
        _;
        if (keccak256(bytes(name)) != keccak256("claim")) {
            uint256[][] memory afterwards = _earnedAll();
            for (uint256 t; t < before.length; ++t) {
                for (uint256 h; h < before[t].length; ++h) {
                    if (afterwards[t][h] < before[t][h] && !earnedFell) {
                        earnedFell = true;
                        earnedFellIn = name;
                    }
                }
            }
        }
    }

    // ================================================================== views for the invariants

    function holders() external view returns (address[] memory) {
        return _holders;
    }

    function rewardTokens() external view returns (MockERC20[] memory) {
        return _rewardTokens;
    }

    function distributors() external view returns (RewardsDistributor[] memory) {
        return _distributors;
    }

    function junk() external view returns (address[] memory) {
        return _junk;
    }

    /// @notice The vault's current distributor.
    function DISTRIBUTOR() public view returns (RewardsDistributor) {
        return _distributors[_distributors.length - 1];
    }

    // ================================================================== share holders

    function deposit(uint256 callerSeed, uint256 receiverSeed, uint256 assets) external action("deposit") {
        address caller = _holder(callerSeed);
        address receiver = _holder(receiverSeed);
        assets = _bound(assets, 1, MAX_AMOUNT);
        uint256 expected = VAULT.previewDeposit(assets);
        if (expected == 0 || !_leavesValidBalance(VAULT.balanceOf(receiver) + expected)) return;
        _fund(caller, assets);
        vm.prank(caller);
        assertEq(VAULT.deposit(assets, receiver), expected, "deposit minted other than previewDeposit");
        ghostSettlements += 2;
        ++effectiveCalls[_action];
    }

    function mint(uint256 callerSeed, uint256 receiverSeed, uint256 shares) external action("mint") {
        address caller = _holder(callerSeed);
        address receiver = _holder(receiverSeed);
        shares = _bound(shares, MIN_BALANCE, VAULT.convertToShares(MAX_AMOUNT));
        uint256 expected = VAULT.previewMint(shares);
        _fund(caller, expected);
        vm.prank(caller);
        assertEq(VAULT.mint(shares, receiver), expected, "mint took other than previewMint");
        ghostSettlements += 2;
        ++effectiveCalls[_action];
    }

    /// @notice Withdraws all of the owner's `maxWithdraw` (even seed) or a part that leaves a valid balance.
    function withdraw(uint256 ownerSeed, uint256 receiverSeed, uint256 assets) external action("withdraw") {
        address owner = _holderWithShares(ownerSeed);
        uint256 max = VAULT.maxWithdraw(owner);
        if (max == 0) return;
        assets = assets % 2 == 0 ? max : _bound(assets, 1, max);
        uint256 shares = VAULT.previewWithdraw(assets);
        if (!_leavesValidBalance(VAULT.balanceOf(owner) - shares)) return;
        vm.prank(owner);
        assertEq(VAULT.withdraw(assets, _holder(receiverSeed), owner), shares, "withdraw burned other than preview");
        ghostSettlements += 2;
        ++effectiveCalls[_action];
    }

    /// @notice Redeems all the owner's shares (even seed) or a part that leaves a valid balance.
    function redeem(uint256 ownerSeed, uint256 receiverSeed, uint256 shares) external action("redeem") {
        address owner = _holderWithShares(ownerSeed);
        uint256 max = VAULT.maxRedeem(owner);
        if (max == 0) return;
        shares = shares % 2 == 0 ? max : _bound(shares, 1, max);
        uint256 expected = VAULT.previewRedeem(shares);
        if (expected == 0 || !_leavesValidBalance(VAULT.balanceOf(owner) - shares)) return;
        vm.prank(owner);
        assertEq(VAULT.redeem(shares, _holder(receiverSeed), owner), expected, "redeem paid other than preview");
        ghostSettlements += 2;
        ++effectiveCalls[_action];
    }

    /// @notice Every holder redeems all it can: the vault empties while streams run, so what streams meanwhile is
    /// held (released from the books) and streams again at the next harvest.
    function exitAll() external action("exitAll") {
        bool any;
        for (uint256 h; h < _holders.length; ++h) {
            address owner = _holders[h];
            uint256 shares = VAULT.maxRedeem(owner);
            if (shares == 0 || VAULT.previewRedeem(shares) == 0) continue;
            if (!_leavesValidBalance(VAULT.balanceOf(owner) - shares)) continue;
            vm.prank(owner);
            VAULT.redeem(shares, owner, owner);
            ghostSettlements += 2;
            any = true;
        }
        if (any) ++effectiveCalls[_action];
    }

    /// @notice Transfers all (even seed) or part of a holder's shares to another holder (or itself).
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 shares) external action("transfer") {
        address from = _holderWithShares(fromSeed);
        address to = _holder(toSeed);
        uint256 balance = VAULT.balanceOf(from);
        if (balance == 0) return;
        shares = shares % 2 == 0 ? balance : _bound(shares, 1, balance);
        if (
            from != to && !(_leavesValidBalance(balance - shares) && _leavesValidBalance(VAULT.balanceOf(to) + shares))
        ) {
            return;
        }
        vm.prank(from);
        assertTrue(VAULT.transfer(to, shares));
        ghostSettlements += 3;
        ++effectiveCalls[_action];
    }

    /// @notice A holder claims the tokens picked by the low two bits of `subset` (none, either or both) to any
    /// receiver: each amount paid is exactly the holder's `earned` before, which becomes zero.
    function claim(uint256 holderSeed, uint256 receiverSeed, uint256 subset) external action("claim") {
        RewardsDistributor distributor = _distributors[(subset >> 8) % _distributors.length];
        address holder = _holder(holderSeed);
        address receiver = _receivers[receiverSeed % _receivers.length];
        uint256 count;
        for (uint256 t; t < _rewardTokens.length; ++t) {
            if (_claimable(distributor, subset, t)) ++count;
        }
        address[] memory tokens = new address[](count);
        uint256[] memory expected = new uint256[](count);
        uint256[] memory before = new uint256[](count);
        count = 0;
        for (uint256 t; t < _rewardTokens.length; ++t) {
            address token = address(_rewardTokens[t]);
            if (_claimable(distributor, subset, t)) {
                tokens[count] = token;
                expected[count] = distributor.earned(holder, token);
                before[count] = MockERC20(token).balanceOf(receiver);
                ++count;
            }
        }
        vm.prank(holder);
        uint256[] memory amounts = distributor.claim(tokens, receiver);
        for (uint256 i; i < count; ++i) {
            assertEq(amounts[i], expected[i], "claim paid other than earned");
            assertEq(MockERC20(tokens[i]).balanceOf(receiver) - before[i], amounts[i], "claim transferred other");
            assertEq(distributor.earned(holder, tokens[i]), 0, "earned not zero after a claim");
            ghostClaimed[tokens[i]] += amounts[i];
            ghostClaimedBy[tokens[i]][holder] += amounts[i];
        }
        ghostSettlements += 2 * count;
        if (count != 0) ++effectiveCalls[_action];
    }

    // ================================================================== rewards, allocator, keeper, time

    /// @notice A farm pays 1 wei to 1,000 whole tokens of one reward token to the adapter.
    function payRewards(uint256 tokenSeed, uint256 amount) external action("payRewards") {
        MockERC20 token = _rewardTokens[tokenSeed % _rewardTokens.length];
        amount = _bound(amount, 1, 1_000 * 10 ** token.decimals());
        token.mint(address(ADAPTER), amount);
        ++effectiveCalls[_action];
    }

    /// @notice The keeper harvests: the adapter sends all its reward tokens to the distributor, which streams them.
    function harvest() external action("harvest") {
        address distributor = address(DISTRIBUTOR());
        uint256[] memory before = new uint256[](_rewardTokens.length);
        for (uint256 t; t < _rewardTokens.length; ++t) before[t] = _rewardTokens[t].balanceOf(distributor);
        // Never reverts, whatever the junk or the misbehaving token do.
        VAULT.harvest(address(ADAPTER));
        for (uint256 t; t < _rewardTokens.length; ++t) {
            assertEq(_rewardTokens[t].balanceOf(address(ADAPTER)), 0, "harvest left rewards in the adapter");
            ghostHarvested[address(_rewardTokens[t])] += _rewardTokens[t].balanceOf(distributor) - before[t];
        }
        ghostSettlements += 1;
        ++effectiveCalls[_action];
    }

    /// @notice Someone pays a new junk token (or more of an old one) to the adapter, which hands it in at the next
    /// harvest: nobody allowed it, so it must never be listed.
    function payJunk(uint256 seed, uint256 amount) external action("payJunk") {
        MockERC20 token;
        if (_junk.length < MAX_JUNK && seed % 2 == 0) {
            token = new MockERC20("Junk", "JNK", 18);
            _junk.push(address(token));
            address[] memory tokens = new address[](_rewardTokens.length + _junk.length);
            // Junk first, as a flood would put it.
            for (uint256 j; j < _junk.length; ++j) tokens[j] = _junk[j];
            for (uint256 t; t < _rewardTokens.length; ++t) tokens[_junk.length + t] = address(_rewardTokens[t]);
            ADAPTER.setRewardTokens(tokens);
        } else if (_junk.length != 0) {
            token = MockERC20(_junk[seed % _junk.length]);
        } else {
            return;
        }
        token.mint(address(ADAPTER), _bound(amount, 1, 1e30));
        ++effectiveCalls[_action];
    }

    /// @notice The misbehaving reward token starts reverting, burning its gas, or behaving, towards the current
    /// distributor.
    function setBadMode(uint256 seed) external action("setBadMode") {
        badMode = MisbehavingERC20.Mode(seed % 3);
        BAD.setMisbehaviour(address(DISTRIBUTOR()), badMode);
        ++effectiveCalls[_action];
    }

    /// @notice The owner replaces the distributor by a fresh one that names it as predecessor (issue 9.1): what was
    /// still streaming moves on, and what each holder earned stays claimable on the old one.
    function migrate() external action("migrate") {
        if (_distributors.length > MAX_MIGRATIONS) return;
        RewardsDistributor previous = DISTRIBUTOR();
        RewardsDistributor next = new RewardsDistributor(address(VAULT), 7 days);
        next.setPredecessor(address(previous));
        for (uint256 t; t < _rewardTokens.length; ++t) next.setAllowed(address(_rewardTokens[t]), true);
        // A misbehaving token keeps misbehaving towards the successor.
        if (badMode != MisbehavingERC20.Mode.None) BAD.setMisbehaviour(address(next), badMode);
        _distributors.push(next);
        VAULT.setRewardsDistributor(address(next));
        // Balances left behind (a transfer the misbehaving token refused) move on when it behaves.
        if (badMode == MisbehavingERC20.Mode.None) {
            for (uint256 d; d + 1 < _distributors.length; ++d) {
                if (BAD.balanceOf(address(_distributors[d])) > _owedBy(_distributors[d], address(BAD))) {
                    _distributors[d].handOver(address(BAD));
                }
            }
        }
        // The detach's advance may round once per token.
        ghostSettlements += 1;
        ++effectiveCalls[_action];
    }

    /// @notice Moves part of the idle into the adapter, so that exits also come out of it.
    function allocate(uint256 assets) external action("allocate") {
        uint256 idle = VAULT.totalIdle();
        if (idle == 0) return;
        VAULT.allocate(address(ADAPTER), _bound(assets, 1, idle));
        ++effectiveCalls[_action];
    }

    /// @notice Lets 1 second to 10 days pass (the reward period is 7 days).
    function warp(uint256 secondsToPass) external action("warp") {
        currentTime += _bound(secondsToPass, 1, 10 days);
        vm.warp(currentTime);
        vm.roll(block.number + 1);
        ++effectiveCalls[_action];
    }

    // ================================================================== internal

    /// @dev Per token and holder: what it can claim across every distributor.
    function _earnedAll() internal view returns (uint256[][] memory earned) {
        earned = new uint256[][](_rewardTokens.length);
        for (uint256 t; t < _rewardTokens.length; ++t) {
            earned[t] = new uint256[](_holders.length);
            for (uint256 h; h < _holders.length; ++h) {
                for (uint256 d; d < _distributors.length; ++d) {
                    earned[t][h] += _distributors[d].earned(_holders[h], address(_rewardTokens[t]));
                }
            }
        }
    }

    /// @dev Whether token `t` is picked by `subset` and claimable from `distributor` now (the misbehaving token only
    /// while it behaves).
    function _claimable(RewardsDistributor distributor, uint256 subset, uint256 t) internal view returns (bool) {
        address token = address(_rewardTokens[t]);
        if ((subset >> t) & 1 == 0 || !distributor.isRewardToken(token)) return false;
        return token != address(BAD) || badMode == MisbehavingERC20.Mode.None || BAD.victim() != address(distributor);
    }

    /// @dev What `distributor` has on its books for `token` (streaming and owed).
    function _owedBy(RewardsDistributor distributor, address token) internal view returns (uint256 accounted) {
        (, , accounted) = distributor.streamOf(token);
    }

    function _leavesValidBalance(uint256 balance) internal pure returns (bool) {
        return balance == 0 || balance >= MIN_BALANCE;
    }

    function _holder(uint256 seed) internal view returns (address) {
        return _holders[seed % _holders.length];
    }

    function _holderWithShares(uint256 seed) internal view returns (address) {
        for (uint256 i; i < _holders.length; ++i) {
            address holder = _holders[((seed % _holders.length) + i) % _holders.length];
            if (VAULT.balanceOf(holder) != 0) return holder;
        }
        return _holder(seed);
    }

    function _fund(address account, uint256 assets) internal {
        ASSET.mint(account, assets);
        vm.prank(account);
        ASSET.approve(address(VAULT), assets);
    }
}
