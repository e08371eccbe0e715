import type { ProductType } from '../erp/tables.ts';

/**
 * The demo's ERP master data: names chosen to exercise what QuickBooks and its query language make hard
 * (apostrophes, ampersands, backslashes, percent signs, accents, non-Latin script, a very long name).
 */
export const demoCustomerNames: readonly string[] = [
  "O'Brien & Sons",
  'Café Zoë',
  'Smith \\ Jones',
  '100% Organic Farms',
  'The Extraordinarily Long-Named International Consolidated Widget Procurement and Distribution Cooperative of the Greater Springfield Metropolitan Area, Incorporated',
  'Müller GmbH',
  'José\'s Tacos "El Mejor"',
  '北京贸易有限公司',
  'Acme Hardware',
  'Blue Sky Builders',
  'Cedar & Pine Carpentry',
  'Delta Logistics',
  'Evergreen Landscaping',
  'Foster Electric',
  'Granite Peak Outfitters',
  'Harbor View Marina',
  'Iron Works Fabrication',
  'Juniper Health Clinic',
  'Keystone Plumbing',
  'Lakeside Bakery',
  'Maple Street Books',
  'Northwind Traders',
  'Orchard Hill Winery',
  'Pioneer Auto Repair',
  'Quarry Stone Supply',
  'Riverbend Veterinary',
  'Summit Dental Group',
  'Tidewater Seafood',
  'Union Square Florist',
  'Valley Fresh Produce',
];

export interface DemoProduct {
  productNo: string;
  description: string;
  type: ProductType;
  unitPrice: string;
}

/** SETUP-FEE, FREIGHT and DISCOUNT-ADJ are what the demo's line charges post to (seed: existing QBO products). */
export const demoProducts: readonly DemoProduct[] = [
  { productNo: 'WIDGET-STEEL', description: 'Widget, steel, 40 mm', type: 'NonInventory', unitPrice: '12.50' },
  { productNo: 'WIDGET-BRASS', description: 'Widget, brass, 40 mm', type: 'NonInventory', unitPrice: '18.75' },
  { productNo: 'GEAR-SMALL', description: 'Gear, 24 teeth', type: 'NonInventory', unitPrice: '4.995' },
  { productNo: 'GEAR-LARGE', description: 'Gear, 96 teeth', type: 'NonInventory', unitPrice: '21.40' },
  { productNo: 'BOLT-M8', description: 'Hex bolt M8 × 40, box of 100', type: 'NonInventory', unitPrice: '9.10' },
  { productNo: 'NUT-M8', description: 'Hex nut M8, box of 100', type: 'NonInventory', unitPrice: '3.3333' },
  { productNo: 'BRACKET-L', description: 'L-bracket, galvanised', type: 'NonInventory', unitPrice: '2.15' },
  { productNo: 'PANEL-ALU', description: 'Aluminium panel 1 m²', type: 'NonInventory', unitPrice: '64.00' },
  { productNo: 'CABLE-10M', description: 'Cable, 10 m', type: 'NonInventory', unitPrice: '15.99' },
  { productNo: 'PUMP-100', description: 'Pump unit 100 l/min', type: 'Inventory', unitPrice: '845.00' },
  { productNo: 'MOTOR-2KW', description: 'Electric motor 2 kW', type: 'Inventory', unitPrice: '1299.00' },
  { productNo: 'PAINT-RED', description: 'Paint, signal red, 5 l', type: 'NonInventory', unitPrice: '38.20' },
  { productNo: 'GLOVES-PRO', description: 'Work gloves, pair', type: 'NonInventory', unitPrice: '6.45' },
  { productNo: 'ASSEMBLY-HR', description: 'Assembly labour, per hour', type: 'Service', unitPrice: '75.00' },
  { productNo: 'DESIGN-HR', description: 'Design consulting, per hour', type: 'Service', unitPrice: '120.00' },
  { productNo: 'INSTALL', description: 'On-site installation', type: 'Service', unitPrice: '250.00' },
  { productNo: 'MAINT-PLAN', description: 'Annual maintenance plan', type: 'Service', unitPrice: '499.00' },
  { productNo: 'SETUP-FEE', description: 'Order setup fee', type: 'Service', unitPrice: '35.00' },
  { productNo: 'FREIGHT', description: 'Freight and delivery', type: 'Service', unitPrice: '0' },
  { productNo: 'DISCOUNT-ADJ', description: 'Price adjustment', type: 'Service', unitPrice: '0' },
];

/** Line charges of the demo, each naming one of the products above as its QuickBooks item. */
export const demoCharges: ReadonlyArray<{ charge: string; qboItemName: string; unitPrice: string }> = [
  { charge: 'Setup fee', qboItemName: 'SETUP-FEE', unitPrice: '35.00' },
  { charge: 'Freight', qboItemName: 'FREIGHT', unitPrice: '24.90' },
  { charge: 'Rush handling', qboItemName: 'SETUP-FEE', unitPrice: '15.00' },
];

export const demoCities: ReadonlyArray<[city: string, region: string, postalCode: string]> = [
  ['Springfield', 'IL', '62701'], ['Portland', 'OR', '97201'], ['Austin', 'TX', '73301'], ['Madison', 'WI', '53703'],
  ['Burlington', 'VT', '05401'], ['Boulder', 'CO', '80302'],
];
