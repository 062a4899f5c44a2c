// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IAdapter} from "../interfaces/IAdapter.sol";
import {IInKindAdapter} from "../interfaces/IInKindAdapter.sol";
import {IStargateV2Adapter} from "../interfaces/IStargateV2Adapter.sol";
import {IVaultAdmin} from "../interfaces/IVaultAdmin.sol";
import {IStargateMultiRewarder} from "../interfaces/external/IStargateMultiRewarder.sol";
import {IStargatePool} from "../interfaces/external/IStargatePool.sol";
import {IStargateStaking} from "../interfaces/external/IStargateStaking.sol";
import {IWETH} from "../interfaces/external/IWETH.sol";
import {BaseAdapter} from "./BaseAdapter.sol";

/// @title StargateV2Adapter
/// @notice Provides a vault's asset as Stargate V2 bridge liquidity and stakes the LP in StargateStaking.
/// @dev See IStargateV2Adapter for the design. Every amount the adapter acts on is measured from its own balances,
/// never taken from a return value of the pool, the farm or the rewarder.
contract StargateV2Adapter is BaseAdapter, ReentrancyGuardTransient, IStargateV2Adapter {
    using SafeERC20 for IERC20;

    /// @inheritdoc IStargateV2Adapter
    /// @dev Stargate's farms pay two or three tokens (STG, plus OP or ARB) to an LP at a time; ten leaves room for
    /// rotating campaigns while bounding the loops of `harvest`. The rewarder's own list is chain-wide (up to 100
    /// tokens, ended campaigns included) and never bounds anything here.
    uint256 public constant MAX_REWARD_TOKENS = 10;
    /// @dev StargateBase.status value of a paused pool: deposit and redeem revert.
    uint8 internal constant _POOL_PAUSED = 3;
    /// @dev Gas for one probe of the asset's `paused()` / `isBlacklisted(address)` (Circle's FiatToken behind its
    /// proxy reads one slot for either): bounds what a token without them can burn.
    uint256 internal constant _PROBE_GAS = 30_000;

    /// @inheritdoc IStargateV2Adapter
    address public immutable POOL;
    /// @inheritdoc IStargateV2Adapter
    address public immutable STAKING;
    /// @inheritdoc IStargateV2Adapter
    address public immutable LP_TOKEN;
    /// @inheritdoc IStargateV2Adapter
    address public immutable WETH;
    /// @inheritdoc IStargateV2Adapter
    bool public immutable NATIVE;
    /// @inheritdoc IStargateV2Adapter
    uint256 public immutable CONVERT_RATE;
    /// @dev Whether ETH held by the adapter is worth the asset one for one (the vault's asset is WETH).
    bool internal immutable _ETH_IS_ASSET;

    /// @inheritdoc IStargateV2Adapter
    bool public exited;
    address[] internal _rewardTokens;
    mapping(address token => bool known) internal _isRewardToken;

    /// @param vault_ The vault to serve.
    /// @param pool_ The Stargate V2 pool: its token must be the vault's asset, or native ETH for a WETH vault.
    /// @param staking_ StargateStaking, which must have a staking pool for the pool's LP token.
    /// @param weth_ The chain's wrapped ether (needed in both modes: native ETH rewards are wrapped).
    constructor(address vault_, address pool_, address staking_, address weth_) BaseAdapter(vault_) {
        if (pool_ == address(0) || staking_ == address(0) || weth_ == address(0)) revert ZeroAddress();
        address underlying = IStargatePool(pool_).token();
        bool native = underlying == address(0);
        // A native pool takes ETH, which only a WETH vault can supply (unwrapping on the way in).
        address needed = native ? weth_ : underlying;
        if (needed != ASSET) revert AssetMismatch(ASSET, needed);
        address lp = IStargatePool(pool_).lpToken();
        if (IStargateStaking(staking_).rewarder(IERC20(lp)) == address(0)) revert LpNotStakable(lp);
        POOL = pool_;
        STAKING = staking_;
        LP_TOKEN = lp;
        WETH = weth_;
        NATIVE = native;
        _ETH_IS_ASSET = weth_ == ASSET;
        // Reverts (underflow) if the shared decimals exceed the asset's, as the pool itself refuses that setup.
        CONVERT_RATE = 10 ** (IERC20Metadata(ASSET).decimals() - IStargatePool(pool_).sharedDecimals());
    }

    /// @notice Accepts ETH from the native pool's redemptions, WETH unwraps and the rewarder's pushes.
    /// @dev No sender check on purpose: the farm's rewarder can be replaced by its owner, and a push it cannot
    /// deliver reverts the whole stake or unstake, which would lock the LP in the farm.
    receive() external payable {}

    // ================================================================== views

    /// @inheritdoc BaseAdapter
    /// @dev LP is minted and redeemed 1:1 with the asset: the position's value never falls (only its liquidity).
    function cannotLose() public pure override returns (bool) {
        return true;
    }

    /// @inheritdoc BaseAdapter
    /// @dev The pool's local credit bounds `releasable`: a second adapter over the same pool would count it twice.
    function liquiditySource() public view override returns (address) {
        return POOL;
    }

    /// @inheritdoc IAdapter
    /// @dev LP is worth its amount in the asset (minted 1:1, never grows); loose ETH counts only for a WETH vault.
    function totalAssets() external view returns (uint256) {
        return _staked() + IERC20(LP_TOKEN).balanceOf(address(this)) + _loose();
    }

    /// @inheritdoc IAdapter
    /// @dev redeemable(address(this)) would read the adapter's LP balance, which is zero while the LP is staked:
    /// redeemable(address(0)) gives the pool's local credit, what it can pay out now, capped here by the LP held.
    /// Nothing is releasable while the asset (Circle's USDC) is paused or has blacklisted the adapter; only what the
    /// adapter holds while the pool is paused by its planner or blacklisted. LP below one shared-decimal unit is not
    /// counted: the pool redeems whole units only, and the adapter can hold such dust (an in-kind exit of an amount
    /// with dust, or LP anyone sends it).
    function releasable() external view returns (uint256) {
        if (_assetFrozen(address(this))) return 0;
        uint256 loose = _loose();
        if (_poolPaused() || _assetFrozen(POOL)) return loose;
        uint256 lp = _dedustDown(_staked() + IERC20(LP_TOKEN).balanceOf(address(this)));
        return loose + Math.min(lp, IStargatePool(POOL).redeemable(address(0)));
    }

    /// @inheritdoc IInKindAdapter
    function inKindToken() external view returns (address) {
        return LP_TOKEN;
    }

    /// @inheritdoc IInKindAdapter
    function inKindAvailable() external view returns (uint256) {
        return _staked() + IERC20(LP_TOKEN).balanceOf(address(this));
    }

    /// @inheritdoc IInKindAdapter
    /// @dev The pool's credit toward `dstEid` (shared decimals scaled to local ones). `redeemSend` (taxi only) spends
    /// it; `redeem` spends the credit of the pool's own eid. Zero while the planner pauses the pool (both revert).
    function inKindBridgeable(uint32 dstEid) external view returns (uint256) {
        if (_poolPaused()) return 0;
        return uint256(IStargatePool(POOL).paths(dstEid)) * CONVERT_RATE;
    }

    /// @inheritdoc IStargateV2Adapter
    function rewardTokens() external view returns (address[] memory) {
        return _rewardTokens;
    }

    // ================================================================== vault entry points

    /// @inheritdoc IAdapter
    /// @dev Deploys everything loose (the assets just sent plus any earlier dust or asset rewards), de-dusted to the
    /// pool's shared decimals; the dust stays loose and counted. Rewards the farm pushes while staking stay here.
    function allocate(uint256) external onlyVault nonReentrant {
        if (exited) revert AdapterExited();
        uint256 amount;
        if (NATIVE) {
            uint256 wrapped = IERC20(WETH).balanceOf(address(this));
            if (wrapped != 0) IWETH(WETH).withdraw(wrapped);
            // A native pool reverts unless msg.value == amount and the amount has no dust.
            amount = _dedustDown(address(this).balance);
            if (amount != 0) IStargatePool(POOL).deposit{value: amount}(address(this), amount);
        } else {
            amount = _dedustDown(IERC20(ASSET).balanceOf(address(this)));
            if (amount != 0) {
                IERC20(ASSET).forceApprove(POOL, amount);
                IStargatePool(POOL).deposit(address(this), amount);
            }
        }
        uint256 lp = IERC20(LP_TOKEN).balanceOf(address(this));
        if (lp != 0) {
            // The stake pushes every pending reward of this LP: list those tokens first so none is left unknown.
            _syncRewardTokens();
            IERC20(LP_TOKEN).forceApprove(STAKING, lp);
            IStargateStaking(STAKING).deposit(IERC20(LP_TOKEN), lp);
        }
    }

    /// @inheritdoc IAdapter
    /// @dev Loose assets leave first. The rest is redeemed from LP, unstaking only what the unstaked LP cannot
    /// cover, rounded up to a whole shared-decimal unit (the pool drops dust), bounded by the LP held and the local
    /// credit. Exactly min(assets, what is loose) goes to the vault: any surplus of the rounding stays here, counted,
    /// because the vault books at most what it asked for. Nothing reverts for lack of credit or a paused pool: the
    /// vault receives less and books what arrived.
    function deallocate(uint256 assets) external onlyVault nonReentrant returns (uint256 freed) {
        // The asset cannot leave the adapter (paused, or the adapter blacklisted): free nothing rather than revert.
        if (_assetFrozen(address(this))) return 0;
        uint256 loose = _loose();
        if (assets > loose && !_poolPaused() && !_assetFrozen(POOL)) {
            uint256 unstaked = IERC20(LP_TOKEN).balanceOf(address(this));
            // Whole units only (the credit is whole units): LP dust would make the pool redeem less than asked.
            uint256 available = Math.min(_dedustDown(_staked() + unstaked), IStargatePool(POOL).redeemable(address(0)));
            uint256 lp = Math.min(Math.ceilDiv(assets - loose, CONVERT_RATE) * CONVERT_RATE, available);
            // After an emergency exit nothing is staked and unstaked LP covers every redemption.
            if (lp > unstaked) {
                // The unstake pushes every pending reward of this LP: list those tokens first.
                _syncRewardTokens();
                IStargateStaking(STAKING).withdraw(IERC20(LP_TOKEN), lp - unstaked);
            }
            if (lp != 0) IStargatePool(POOL).redeem(lp, address(this));
        }
        // Redeemed ETH, ETH dust and ETH rewards of a WETH vault all go back to the vault as WETH.
        if (_ETH_IS_ASSET && address(this).balance != 0) IWETH(WETH).deposit{value: address(this).balance}();
        freed = Math.min(assets, IERC20(ASSET).balanceOf(address(this)));
        if (freed != 0) IERC20(ASSET).safeTransfer(VAULT, freed);
    }

    /// @inheritdoc IInKindAdapter
    /// @dev LP held outright leaves first (after an emergency exit, all of it); the rest is unstaked from the farm,
    /// whose pushed rewards stay here for the next harvest (their tokens listed first, as in `deallocate`). The LP
    /// token moves whatever the pool's credit, pause or USDC's state: only the farm and the LP are touched.
    function releaseInKind(uint256 assets, address receiver) external onlyVault nonReentrant returns (uint256 sent) {
        uint256 unstaked = IERC20(LP_TOKEN).balanceOf(address(this));
        if (assets > unstaked) {
            uint256 staked = _staked();
            if (assets > unstaked + staked) revert InKindAboveHoldings(assets, unstaked + staked);
            // The unstake pushes every pending reward of this LP: list those tokens first.
            _syncRewardTokens();
            IStargateStaking(STAKING).withdraw(IERC20(LP_TOKEN), assets - unstaked);
        }
        sent = assets;
        emit InKindReleased(receiver, sent);
        IERC20(LP_TOKEN).safeTransfer(receiver, sent);
    }

    /// @inheritdoc IAdapter
    /// @dev Lists what the rewarder is about to pay this LP, claims (while staked), wraps ETH when it is the asset or
    /// WETH is a listed reward, then sends the whole held balance of every listed reward token: this includes rewards
    /// pushed earlier by allocate and deallocate, and tokens whose campaign has since ended or been stopped. The asset
    /// and the LP token are never reward tokens here.
    function harvest(
        address receiver
    ) external onlyVault nonReentrant returns (address[] memory tokens, uint256[] memory amounts) {
        _syncRewardTokens();
        if (_staked() != 0) {
            IERC20[] memory lps = new IERC20[](1);
            lps[0] = IERC20(LP_TOKEN);
            IStargateStaking(STAKING).claim(lps);
        }
        // For a WETH vault the wrapped ETH is loose asset and stays (it reaches the share price through a report).
        // Otherwise ETH becomes WETH only once WETH is a reward token (native rewards were paid, or the curator
        // listed it to recover ETH): a stranger's 1 wei cannot put WETH on the vault's reward list.
        if (address(this).balance != 0 && (_ETH_IS_ASSET || _isRewardToken[WETH])) {
            IWETH(WETH).deposit{value: address(this).balance}();
        }

        // Best effort per token: one that cannot report or move its balance is left for a later harvest (or for the
        // curator to remove) and never blocks the others.
        uint256 length = _rewardTokens.length;
        uint256[] memory sent = new uint256[](length);
        uint256 count;
        for (uint256 i; i < length; ++i) {
            IERC20 token = IERC20(_rewardTokens[i]);
            uint256 held = _heldOf(address(token));
            if (held != 0 && token.trySafeTransfer(receiver, held)) {
                sent[i] = held;
                ++count;
            }
        }
        tokens = new address[](count);
        amounts = new uint256[](count);
        count = 0;
        for (uint256 i; i < length; ++i) {
            if (sent[i] == 0) continue;
            tokens[count] = _rewardTokens[i];
            amounts[count] = sent[i];
            ++count;
        }
        emit RewardsHarvested(receiver, tokens, amounts);
    }

    /// @inheritdoc IStargateV2Adapter
    /// @dev The adapter stores no roles: it asks the vault for its owner and guardian, so a role change there applies
    /// here at once. The vault itself has no call to this yet; its owner or guardian use it directly.
    function emergencyExit() external nonReentrant {
        if (
            msg.sender != VAULT &&
            msg.sender != IVaultAdmin(VAULT).owner() &&
            msg.sender != IVaultAdmin(VAULT).guardian()
        ) {
            revert Unauthorized(msg.sender);
        }
        if (exited) revert AlreadyExited();
        exited = true;
        uint256 lp = _staked();
        emit EmergencyExited(msg.sender, lp);
        if (lp != 0) IStargateStaking(STAKING).emergencyWithdraw(IERC20(LP_TOKEN));
    }

    /// @inheritdoc IStargateV2Adapter
    function addRewardToken(address token) external onlyCurator {
        if (token == address(0) || token == ASSET || token == LP_TOKEN) revert InvalidRewardToken(token);
        if (_isRewardToken[token]) revert RewardTokenListed(token);
        uint256 count = _rewardTokens.length + 1;
        if (count > MAX_REWARD_TOKENS) revert TooManyRewardTokens(count, MAX_REWARD_TOKENS);
        _addRewardToken(token);
    }

    /// @inheritdoc IStargateV2Adapter
    /// @dev Swap-and-pop: the order of the list changes.
    function removeRewardToken(address token) external onlyCurator {
        if (!_isRewardToken[token]) revert RewardTokenNotListed(token);
        uint256 last = _rewardTokens.length - 1;
        for (uint256 i; i <= last; ++i) {
            if (_rewardTokens[i] != token) continue;
            _rewardTokens[i] = _rewardTokens[last];
            _rewardTokens.pop();
            break;
        }
        delete _isRewardToken[token];
        emit RewardTokenRemoved(token);
    }

    // ================================================================== internal

    /// @dev The curator is read from the vault, so a role change there applies here at once.
    modifier onlyCurator() {
        if (msg.sender != IVaultAdmin(VAULT).curator()) revert Unauthorized(msg.sender);
        _;
    }

    function _staked() internal view returns (uint256) {
        return IStargateStaking(STAKING).balanceOf(IERC20(LP_TOKEN), address(this));
    }

    /// @dev The asset held outright, plus ETH when the asset is WETH (dust and ETH rewards of a native pool).
    function _loose() internal view returns (uint256) {
        return IERC20(ASSET).balanceOf(address(this)) + (_ETH_IS_ASSET ? address(this).balance : 0);
    }

    function _poolPaused() internal view returns (bool) {
        return IStargatePool(POOL).status() == _POOL_PAUSED;
    }

    /// @dev Whether the ERC-20 asset refuses to move `account`'s tokens now: Circle's FiatToken (USDC) pauses every
    /// transfer (`paused()`) and blacklists addresses (`isBlacklisted`). A token without these views answers nothing
    /// and counts as free. Never asked of WETH (native pool): its fallback would burn the probe's gas.
    function _assetFrozen(address account) internal view returns (bool) {
        if (NATIVE) return false;
        return
            _probe(abi.encodeWithSignature("paused()")) ||
            _probe(abi.encodeWithSignature("isBlacklisted(address)", account));
    }

    /// @dev The adapter's balance of `token`, or 0 when the token cannot answer (no code, reverts, short data).
    function _heldOf(address token) internal view returns (uint256) {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory data) = token.staticcall(abi.encodeCall(IERC20.balanceOf, (address(this))));
        return ok && data.length == 32 ? abi.decode(data, (uint256)) : 0;
    }

    function _probe(bytes memory call) internal view returns (bool) {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory data) = ASSET.staticcall{gas: _PROBE_GAS}(call);
        return ok && data.length == 32 && abi.decode(data, (uint256)) != 0;
    }

    /// @dev Rounds down to a whole shared-decimal unit, as the pool would.
    function _dedustDown(uint256 amount) internal view returns (uint256) {
        return amount - (amount % CONVERT_RATE);
    }

    /// @dev Lists every token the rewarder is about to pay this LP (pending > 0; native ETH as WETH, skipped for a WETH
    /// vault where it is the asset). It reads `getRewards(lp, this)`, the rewards of this LP only, never the
    /// chain-wide token list: ended campaigns pay nothing and take no slot. A token that finds the list full is
    /// skipped (event), never a revert: its pushes stay here until the curator prunes a slot and lists it. A
    /// rewarder that reverts or is unset lists nothing, so it cannot block allocate, deallocate or harvest.
    function _syncRewardTokens() internal {
        address rewarder = IStargateStaking(STAKING).rewarder(IERC20(LP_TOKEN));
        if (rewarder == address(0)) return;
        try IStargateMultiRewarder(rewarder).getRewards(IERC20(LP_TOKEN), address(this)) returns (
            address[] memory tokens,
            uint256[] memory pending
        ) {
            uint256 length = Math.min(tokens.length, pending.length);
            for (uint256 i; i < length; ++i) {
                if (pending[i] == 0) continue;
                address token = tokens[i] == address(0) ? WETH : tokens[i];
                if (token == ASSET || token == LP_TOKEN || _isRewardToken[token]) continue;
                if (_rewardTokens.length < MAX_REWARD_TOKENS) _addRewardToken(token);
                else emit RewardTokenSkipped(token);
            }
        } catch {
            return;
        }
    }

    function _addRewardToken(address token) internal {
        _isRewardToken[token] = true;
        _rewardTokens.push(token);
        emit RewardTokenAdded(token);
    }
}
