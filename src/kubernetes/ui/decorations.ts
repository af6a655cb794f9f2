// The contribution hook of the Service rows: other capabilities register decorators through the
// Kubernetes API; nodes ask for the merged decoration when they draw.
import type { ServiceDecoration, ServiceDecorator } from '../api';
import type { KubeObject } from '../core/types';

export class ServiceDecorations {
  private readonly decorators: ServiceDecorator[] = [];

  add(decorator: ServiceDecorator): () => void {
    this.decorators.push(decorator);
    return () => {
      const i = this.decorators.indexOf(decorator);
      if (i >= 0) this.decorators.splice(i, 1);
    };
  }

  /** Every decorator's contribution for one Service, merged (flags combined, texts joined). */
  for(object: KubeObject): Required<ServiceDecoration> {
    const merged = { contextFlags: {} as Record<string, boolean>, description: '', tooltip: '' };
    for (const decorate of this.decorators) {
      const d = decorate({ metadata: object.metadata });
      if (!d) continue;
      Object.assign(merged.contextFlags, d.contextFlags);
      if (d.description) merged.description = [merged.description, d.description].filter(Boolean).join(' · ');
      if (d.tooltip) merged.tooltip = [merged.tooltip, d.tooltip].filter(Boolean).join('\n\n');
    }
    return merged;
  }
}
