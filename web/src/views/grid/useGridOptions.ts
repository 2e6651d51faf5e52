// The grids of the user's jurisdiction for grid pickers, fetched once per page load when a
// picker first opens (a city holds a few hundred), with their names shared with other screens.
import { ref } from 'vue';
import { allRegions, type Region } from '@/api/lists';
import { regionNames } from '@/api/names';

const grids = ref<Region[]>([]);
const loading = ref(false);
let pending: Promise<void> | null = null;

export function useGridOptions() {
  function load(visible = true): Promise<void> {
    if (!visible || grids.value.length > 0) return Promise.resolve();
    pending ??= (async () => {
      loading.value = true;
      try {
        grids.value = (await allRegions('grid')).sort((a, b) => a.code.localeCompare(b.code));
        for (const g of grids.value) regionNames.remember(g.code, g.name);
      } catch {
        // The picker stays empty; text search still works.
      } finally {
        loading.value = false;
        pending = null;
      }
    })();
    return pending;
  }
  return { grids, loading, load };
}
