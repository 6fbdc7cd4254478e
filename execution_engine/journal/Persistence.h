#pragma once
// Public header of hft_journal: everything the order executor persists.
#include "execution_engine/journal/Journal.h"        // binary journal writer (restart repairs a torn tail)
#include "execution_engine/journal/JournalReader.h"  // replay from a sequence
#include "execution_engine/journal/PnlReport.h"      // daily pnl.csv
#include "execution_engine/journal/SnapshotStore.h"  // hourly JSON snapshots
#include "execution_engine/journal/TradeLog.h"       // daily trades.jsonl
