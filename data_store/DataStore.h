#pragma once
// Public header of data_store: the shared-memory bus.
#include "data_store/BroadcastRing.h"
#include "data_store/BusNames.h"
#include "data_store/LockstepBarrier.h"
#include "data_store/ProcessRegistry.h"
#include "data_store/RingConsumer.h"
#include "data_store/ShmSegment.h"
#include "data_store/SpscQueue.h"
#include "data_store/WaitStrategy.h"
