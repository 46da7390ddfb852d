"""Pure Ibis expressions of the attribution engine.

Every function takes and returns an Ibis table and executes nothing, so the
same code runs on DuckDB, PostgreSQL, Spark or a warehouse. The runner in
:mod:`accord.metrics.attribution.engine` executes them and pulls only small
aggregates (per channel, per channel pair, per channel set) into Python.

Touches of one journey are ordered by time, ties broken by the channel's
code, so every engine sees the same order.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from accord.metrics.attribution.models import MILESTONE_MODELS, MILESTONES, Settings

REQUIRED_COLUMNS = ("journey_id", "ts", "channel", "converted", "value")
SECONDS_PER_DAY = 86_400
NO_CAMPAIGN = "(no campaign)"


def touches_typed(touches: ir.Table) -> ir.Table:
    """The canonical columns with canonical types (CSV readers may guess others)."""
    columns = {
        "journey_id": touches.journey_id,
        "ts": touches.ts.cast("timestamp"),
        "channel": touches.channel.cast("string"),
        "converted": touches.converted.cast("boolean"),
        "value": touches.value.cast("float64"),
    }
    for optional in ("campaign", "milestone"):
        if optional in touches.columns:
            columns[optional] = touches[optional].cast("string")
    return touches.select(**columns)


def touches_keyed(
    touches: ir.Table, *, by: str = "channel", lookback_days: float | None = None
) -> ir.Table:
    """Typed touches plus ``key``, the label credit is given to (channel or campaign)."""
    key = touches.channel if by == "channel" else touches.campaign.fill_null(NO_CAMPAIGN)
    keyed = touches.mutate(key=key, value=touches.value.fill_null(0.0))
    if "campaign" in keyed.columns:
        keyed = keyed.drop("campaign")
    if lookback_days is None:
        return keyed
    window = ibis.interval(seconds=round(lookback_days * SECONDS_PER_DAY))
    ended = keyed.mutate(journey_end=keyed.ts.max().over(group_by=keyed.journey_id))
    return ended.filter(ended.ts >= ended.journey_end - window).drop("journey_end")


def problem_counts(touches: ir.Table) -> dict[str, ir.Value]:
    """Counts of the touches that break the input contract, by kind of problem."""
    return {
        "journey_id_missing": touches.journey_id.isnull().sum(),
        "ts_missing": touches.ts.isnull().sum(),
        "channel_missing": touches.channel.isnull().sum(),
        "converted_missing": touches.converted.isnull().sum(),
        "value_negative": (touches.value < 0).fill_null(False).sum(),
    }


def distinct_keys(keyed: ir.Table) -> ir.Table:
    return keyed.select("key").distinct().order_by("key")


def touches_coded(keyed: ir.Table, keys: list[str]) -> ir.Table:
    """Replace the key label with its position in the sorted key list (0-based ``code``)."""
    codes = ibis.memtable({"key": keys, "code": list(range(len(keys)))})
    codes = codes.mutate(code=codes.code.cast("int64"))
    return keyed.join(codes, "key")


def _ordered(table: ir.Table) -> ibis.Window:
    return ibis.window(group_by=table.journey_id, order_by=[table.ts, table.code])


def transition_counts(coded: ir.Table, *, order: int, n_keys: int) -> ir.Table:
    """Touches counted by (state, converted flag, step to the next touch).

    A state is the last ``order`` keys of the journey so far, packed into one
    integer in base ``n_keys + 1`` (digit 0 means "no touch yet"). ``step`` is
    ``2 * next key + next converted flag``, null on a journey's last touch:
    packing both into one integer keeps the single sort of the journey narrow,
    and lets the runner see a journey whose ``converted`` changes.
    """
    w = _ordered(coded)
    base = n_keys + 1
    state = coded.code + 1
    for lag in range(1, order):
        state = state + (coded.code.lag(lag).over(w) + 1).fill_null(0) * base**lag
    flag = ibis.ifelse(coded.converted, 1, 0)
    steps = coded.select(state=state, flag=flag, step=(coded.code * 2 + flag).lead().over(w))
    return steps.group_by("state", "flag", "step").aggregate(touches=steps.count())


def converting_summary(coded: ir.Table) -> ir.Table:
    """One row: converting journeys, their total value, and how many disagree on ``value``."""
    converting = converting_touches(coded)
    journeys = converting.group_by("journey_id").aggregate(
        low=converting.value.min(), high=converting.value.max()
    )
    return journeys.aggregate(
        conversions=journeys.count(),
        value=journeys.low.sum(),
        conflicts=ibis.ifelse(journeys.low != journeys.high, 1, 0).sum(),
    )


def value_conflicts(coded: ir.Table) -> ir.Table:
    """Converting journeys whose touches disagree on ``value`` (the only value that counts)."""
    converting = converting_touches(coded)
    per_journey = converting.group_by("journey_id").aggregate(
        low=converting.value.min(), high=converting.value.max()
    )
    return per_journey.filter(per_journey.low != per_journey.high).select("journey_id")


def inconsistent_journeys(keyed: ir.Table) -> ir.Table:
    """Journeys whose touches disagree on ``converted`` or ``value``."""
    per_journey = keyed.group_by("journey_id").aggregate(
        converted_kinds=keyed.converted.nunique(),
        value_kinds=keyed.value.nunique(),
    )
    return per_journey.filter((per_journey.converted_kinds > 1) | (per_journey.value_kinds > 1))


def converting_touches(coded: ir.Table) -> ir.Table:
    return coded.filter(coded.converted)


def journey_masks(coded: ir.Table) -> ir.Table:
    """Converting journeys counted by their set of keys, as a bitmask of key codes."""
    pairs = converting_touches(coded).select("journey_id", "code", "value").distinct()
    per_journey = pairs.group_by("journey_id").aggregate(
        mask=(ibis.literal(1, "int64") << pairs.code.cast("int32")).sum(),
        value=pairs.value.max(),
    )
    return per_journey.group_by("mask").aggregate(
        conversions=per_journey.count(), value=per_journey.value.sum()
    )


def shapley_unanimity_credit(coded: ir.Table) -> ir.Table:
    """Shapley credit in closed form: each converting journey split evenly over its distinct keys.

    With v(S) = conversions of journeys whose keys all lie in S, the game is a
    sum of unanimity games, one per journey, whose Shapley value is exactly
    this even split; it needs no enumeration of subsets.
    """
    pairs = converting_touches(coded).select("journey_id", "code", "value").distinct()
    share = 1.0 / pairs.count().over(group_by=pairs.journey_id)
    shares = pairs.mutate(share=share)
    return shares.group_by("code").aggregate(
        conversions=shares.share.sum(), value=(shares.share * shares.value).sum()
    )


POSITION_FAMILY = ("position", "j_shaped", "inverse_j")


def _journey_positions(converting: ir.Table, *, settings: Settings) -> ir.Table:
    """Converting touches with their position (0-based) and their journey's summary.

    One window (position and last time share it); the summary is a grouped
    aggregate joined back, which engines run far faster than a window per
    summary column.
    """
    w = _ordered(converting)
    epoch = converting.ts.epoch_seconds().cast("float64")
    positioned = converting.mutate(
        pos=ibis.row_number().over(w), epoch=epoch, last_epoch=epoch.max().over(w)
    )
    non_direct = ibis.ifelse(
        positioned.channel.isin(settings.direct_channels), None, positioned.pos
    )
    summary = {
        "n": positioned.count(),
        "last_non_direct_pos": non_direct.max(),
        "total_time_decay": _decay(positioned, settings).sum(),
    }
    if "milestone" in positioned.columns:
        for milestone in MILESTONES:
            at = ibis.ifelse(positioned.milestone == milestone, positioned.pos, None)
            summary[f"{milestone}_pos"] = at.min()
    journeys = positioned.group_by(j_id=positioned.journey_id).aggregate(**summary)
    return positioned.join(journeys, positioned.journey_id == journeys.j_id).drop("j_id")


def _decay(t: ir.Table, settings: Settings) -> ir.Value:
    half_life = settings.half_life_days * SECONDS_PER_DAY
    return ibis.literal(0.5) ** ((t.last_epoch - t.epoch) / half_life)


def _anchors(t: ir.Table, model: str, settings: Settings) -> list[tuple[float, ir.Value]]:
    """(share, position) of each anchor role of a shaped model that has a share."""
    shape = settings.shape(model)
    positions = {"first": ibis.literal(0, "int64"), "last": t.n - 1}
    if model in MILESTONE_MODELS:
        for milestone in MILESTONES:
            positions[milestone] = t[f"{milestone}_pos"]
    return [(getattr(shape, r), at) for r, at in positions.items() if getattr(shape, r) > 0]


def _shape_weight(t: ir.Table, model: str, settings: Settings) -> ir.Value:
    """Each anchor touch gets its roles' shares, the others share the middle; sums to 1.

    The journey's anchor total and number of distinct anchor touches come from
    the anchor positions of its summary, so no second aggregate is needed.
    """
    anchors = _anchors(t, model, settings)
    raw, total, held = ibis.literal(0.0), ibis.literal(0.0), ibis.literal(False)
    distinct = ibis.literal(0, "int64")
    for i, (share, at) in enumerate(anchors):
        hit = (t.pos == at).fill_null(False)
        raw, held = raw + ibis.ifelse(hit, share, 0.0), held | hit
        total = total + ibis.ifelse(at.notnull(), share, 0.0)
        repeat = ibis.literal(False)
        for _, earlier in anchors[:i]:
            repeat = repeat | (earlier == at).fill_null(False)
        distinct = distinct + ibis.ifelse(at.notnull() & ~repeat, 1, 0)
    middle = settings.shape(model).middle
    rest = t.n - distinct
    spread = ibis.ifelse(held, 0.0, middle / rest.nullif(0).cast("float64"))
    total = total + ibis.ifelse(rest > 0, middle, 0.0)
    weight = ibis.ifelse(total > 0, (raw + spread) / total.nullif(0), 1.0 / t.n)
    if model in POSITION_FAMILY:
        weight = ibis.ifelse(t.n == 2, 0.5, weight)
    return weight


def _raw_weights(t: ir.Table, model: str, settings: Settings) -> ir.Value:
    if model == "first":
        return ibis.ifelse(t.pos == 0, 1.0, 0.0)
    if model == "last":
        return ibis.ifelse(t.pos == t.n - 1, 1.0, 0.0)
    if model == "last_non_direct":
        return ibis.ifelse(t.pos == t.last_non_direct_pos.fill_null(t.n - 1), 1.0, 0.0)
    if model == "linear":
        return 1.0 / t.n
    return _decay(t, settings) / t.total_time_decay


def heuristic_weights(coded: ir.Table, *, models: tuple[str, ...], settings: Settings) -> ir.Table:
    """One row per converting touch, one weight column per model; a journey's weights sum to 1.

    A shaped model gives each anchor touch its share, spreads the middle share
    evenly over the other touches, and rescales when anchors coincide or are
    missing, so the journey still sums to 1.
    """
    t = _journey_positions(converting_touches(coded), settings=settings)
    # PostgreSQL types a bare 1.0 as NUMERIC (and ibis drops a cast to float64 as
    # redundant); multiplying by a computed 1.0 keeps every weight a double.
    unit = t.n.cast("float64") / t.n.cast("float64")
    weights = {}
    for model in models:
        if model in settings.shapes:
            weights[model] = _shape_weight(t, model, settings) * unit
        else:
            weights[model] = _raw_weights(t, model, settings) * unit
    return t.select("journey_id", "code", "value", **weights)


def heuristic_credit(coded: ir.Table, *, models: tuple[str, ...], settings: Settings) -> ir.Table:
    """Credit per key code: ``<model>_conversions`` and ``<model>_value`` for each model."""
    w = heuristic_weights(coded, models=models, settings=settings)
    sums = {}
    for model in models:
        sums[f"{model}_conversions"] = w[model].sum()
        sums[f"{model}_value"] = (w[model] * w.value).sum()
    return w.group_by("code").aggregate(**sums)
