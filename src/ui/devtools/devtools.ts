import { createPanel } from '../../platform/devtools.ts';
import { message } from '../../platform/runtime.ts';

void createPanel(message('extName'), 'src/ui/devtools/panel.html');
