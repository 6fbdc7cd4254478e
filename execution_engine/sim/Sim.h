#pragma once
// hft_sim: the simulated venue of the backtester. The one header a user includes; README.md
// documents the fill model.
#include "execution_engine/sim/Fill.h"
#include "execution_engine/sim/LatencyModel.h"
#include "execution_engine/sim/QueueModel.h"
#include "execution_engine/sim/SimConfig.h"
#include "execution_engine/sim/SimCounters.h"
#include "execution_engine/sim/SimulatedExchange.h"
#include "execution_engine/sim/VenueFees.h"
