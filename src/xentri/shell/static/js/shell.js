// The shell's browser behaviour, loaded as a deferred module: pages work without it.
import { initTheme } from "./theme.js";
import { initSyncStatus } from "./sync-status.js";
import { initSidebar } from "./sidebar.js";
import { initNavigation } from "./navigation.js";
import { initForms } from "./forms.js";
import { initMenus } from "./menus.js";
import { initModuleDialog } from "./module-dialog.js";
import { initTimeZone } from "./timezone.js";
import { initCopilot } from "./copilot.js";
import { initPulse } from "./pulse.js";
import { initFinance } from "./finance.js";
import { initStrategyInterview } from "./strategy-interview.js";

initTheme();
initSyncStatus();
initSidebar();
initNavigation();
initForms();
initMenus();
initModuleDialog();
initTimeZone();
initCopilot();
initPulse();
initFinance();
initStrategyInterview();
